package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/metrics} counts what happens: streams, posts, deliveries, catch-ups, refusals, store
 * time.
 */
@ExtendWith(SharedServer.class)
class MetricsIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ParleyServer server;
  private final Api api;
  private final String room = Api.freshRoom("metrics");

  MetricsIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void everyFigureIsThereAndCounts() {
    api.post(room, "alice", "before anyone listens");
    Metrics before = Metrics.scrape(api);
    for (String name :
        List.of(
            "parley_streams_open",
            "parley_messages_posted_total",
            "parley_deliveries_total",
            "parley_slow_client_disconnects_total",
            "parley_replay_messages_count",
            "parley_store_latency_seconds_count",
            "jvm_memory_used_bytes")) {
      assertTrue(before.has(name), name + " missing in\n" + before);
    }

    try (SseClient first = SseClient.open(server, "api/rooms/" + room + "/events", null);
        SseClient second = SseClient.open(server, "api/rooms/" + room + "/events", null)) {
      first.messages(1, WAIT);
      second.messages(1, WAIT);
      api.post(room, "bob", "to both");
      first.messages(1, WAIT);
      second.messages(1, WAIT);
      api.postJson("api/rooms/" + room + "/messages", "{\"author\":\"\"}");

      // A delivery is counted once its write returns, which can be just after the client read it.
      Await.until(
          "the deliveries to be counted",
          WAIT,
          () ->
              Metrics.scrape(api).value("parley_deliveries_total")
                      - before.value("parley_deliveries_total")
                  >= 8);
      Metrics after = Metrics.scrape(api);
      assertEquals(2, after.openStreams(room), after.toString());
      assertTrue(after.value("parley_streams_open") >= 2);
      assertEquals(
          1,
          after.value("parley_messages_posted_total")
              - before.value("parley_messages_posted_total"),
          0.0);
      // connected, presence, one replayed and one live message, to each of two streams
      assertTrue(
          after.value("parley_deliveries_total") - before.value("parley_deliveries_total") >= 8);
      assertEquals(
          2,
          after.value("parley_replay_messages_count")
              - before.value("parley_replay_messages_count"),
          0.0);
      assertEquals(
          1,
          after.value("parley_requests_rejected_total", "reason=\"invalid-input\"")
              - before.value("parley_requests_rejected_total", "reason=\"invalid-input\""),
          0.0);
      assertTrue(
          after.value("parley_store_latency_seconds_count", "operation=\"append\"")
              > before.value("parley_store_latency_seconds_count", "operation=\"append\""));
    }
  }
}
