package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 100 clients that stop reading and 200 that read, in one room: every POST succeeds, every healthy
 * client gets every message in order, and the stalled ones are cut off (and counted). Not run on
 * Payara, where Grizzly queues about 10 MB per connection before a write blocks (see {@link
 * StalledClientIT}), so a stalled client is cut off only after thousands of messages.
 */
@ExtendWith(SharedServer.class)
class SlowConsumersIT {

  private static final int STALLED = 100;
  private static final int HEALTHY = 200;
  private static final int POSTS = 300;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ParleyServer server;
  private final Api api;

  SlowConsumersIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void stalledClientsAreCutOffWhileHealthyOnesMissNothing() {
    String room = Api.freshRoom("slow");
    String events = "api/rooms/" + room + "/events";
    String text = "x".repeat(1900);
    List<SseClient> healthy = new ArrayList<>();
    List<SseClient> stalled = new ArrayList<>();
    try {
      double cutOffBefore = Metrics.scrape(api).value("parley_slow_client_disconnects_total");
      for (int i = 0; i < STALLED; i++) {
        stalled.add(SseClient.stalled(server, events));
      }
      for (int i = 0; i < HEALTHY; i++) {
        healthy.add(SseClient.open(server, events, null));
      }
      for (SseClient client : healthy) {
        client.next(event -> event.is("connected"), WAIT);
      }
      Await.until(
          "every stream to be open",
          WAIT,
          () -> Metrics.openStreams(api, room) == STALLED + HEALTHY);

      List<Message> posted = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < POSTS; i++) {
        posted.add(api.post(room, "alice", i + " " + text)); // fails unless 201
      }
      for (SseClient client : healthy) {
        assertEquals(StreamIT.ids(posted), StreamIT.eventIds(client.messages(POSTS, WAIT)));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d posts reached %d healthy clients, beside %d stalled ones, in %.1f s%n",
          POSTS, HEALTHY, STALLED, seconds);

      Await.until(
          "the stalled streams to be cut off",
          WAIT,
          () -> Metrics.openStreams(api, room) == HEALTHY);
      double cutOff =
          Metrics.scrape(api).value("parley_slow_client_disconnects_total") - cutOffBefore;
      assertTrue(cutOff >= STALLED, "cut off as too slow: " + cutOff);
    } finally {
      stalled.forEach(SseClient::close);
      healthy.forEach(SseClient::close);
    }
  }
}
