package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.chat.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages acknowledged with 201 survive SIGKILL, and resume across the restart is exact. */
class RestartIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void acknowledgedMessagesSurviveKillDashNineAndResumeStaysExact() {
    try (ParleyServer server = new ParleyServer("restart", Map.of("parley.heartbeat.seconds", "1")).start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("durable");
      String events = "api/rooms/" + room + "/events";
      List<Message> posted = new ArrayList<>();
      String lastSeen;
      try (SseClient client = SseClient.open(server, events, null)) {
        for (int i = 0; i < 20; i++) {
          posted.add(api.post(room, "alice", "before the crash " + i));
        }
        lastSeen = client.messages(8, WAIT).get(7).id();
        server.kill();
        client.awaitEnd(WAIT);
      }

      server.start();
      api = new Api(server);
      assertEquals(posted, api.history(room, "?limit=100"), "every acknowledged message, as it was");

      try (SseClient resumed = SseClient.open(server, events, lastSeen)) {
        assertEquals(StreamIT.ids(posted.subList(8, 20)), StreamIT.eventIds(resumed.messages(12, WAIT)));
        Message after = api.post(room, "alice", "after the restart");
        assertEquals(after.id(), resumed.next(event -> event.is("message"), WAIT).id());
      }
    }
  }
}
