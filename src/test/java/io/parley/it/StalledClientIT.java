package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.chat.RoomInfo;
import io.parley.core.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that stops reading (a phone in a tunnel) must not make a POST fail, hold up the others
 * or make them miss anything. It is cut off once it is too far behind, and then resumes exactly
 * with Last-Event-ID.
 */
@ExtendWith(SharedServer.class)
class StalledClientIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Far above where a stalled client is cut off: after about 100 posts on Tomcat, after about 5,300
   * (10 MB) on Payara, whose Grizzly queues that much per connection before a write blocks.
   */
  private static final int MAX_POSTS = 12_000;

  private final ParleyServer server;
  private final Api api;

  StalledClientIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void stalledClientIsCutOffWhileEveryoneElseGetsEverything() {
    String room = Api.freshRoom("stalled");
    String events = "api/rooms/" + room + "/events";
    String text = "x".repeat(1900);
    List<Message> posted = new ArrayList<>();
    try (SseClient watcher = SseClient.open(server, events + "?nick=watcher", null);
        SseClient stalled = SseClient.stalled(server, events + "?nick=stalled");
        SseClient healthy = SseClient.open(server, events, null)) {
      Await.until("both nicks online", WAIT, () -> online(room) == 2);

      // Post until the server gives up on the stalled stream (its count of open streams drops at
      // once; presence may tell it a second later): each POST must succeed meanwhile.
      while (Metrics.openStreams(api, room) == 3) {
        assertTrue(posted.size() < MAX_POSTS, "the stalled client was never cut off");
        for (int i = 0; i < 10; i++) {
          posted.add(api.post(room, "alice", posted.size() + " " + text));
        }
      }

      // The healthy clients got every message, in order, while the stalled one sat there.
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(healthy.messages(posted.size(), WAIT)));
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(watcher.messages(posted.size(), WAIT)));

      // The stalled client reads again: a gap-free prefix, then the end of the stream…
      stalled.resumeReading();
      assertTrue(stalled.awaitEnd(WAIT), "the server closed the stalled stream");
      List<SseEvent> prefix =
          stalled.drain().stream().filter(event -> event.is("message")).toList();
      assertTrue(prefix.size() < posted.size(), "the stalled stream was cut short");
      assertEquals(StreamIT.ids(posted.subList(0, prefix.size())), StreamIT.eventIds(prefix));

      // …and resumes exactly where it stopped.
      List<Message> rest = posted.subList(prefix.size(), posted.size());
      assertTrue(
          !prefix.isEmpty() && rest.size() < SharedServer.HISTORY_SIZE,
          "cut off after " + prefix.size() + " messages with " + rest.size() + " to go");
      try (SseClient resumed = SseClient.open(server, events, prefix.get(prefix.size() - 1).id())) {
        assertEquals(StreamIT.ids(rest), StreamIT.eventIds(resumed.messages(rest.size(), WAIT)));
        assertTrue(resumed.drain().stream().noneMatch(event -> event.is("reset")));
      }
    }
  }

  private int online(String room) {
    return api.rooms().stream()
        .filter(info -> info.name().equals(room))
        .mapToInt(RoomInfo::online)
        .findFirst()
        .orElse(0);
  }
}
