package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients far behind that never read cost the server at most the byte bound each: 30 streams
 * resuming 499 messages of 6 KB back (3 MB of catch-up each) grow the heap, measured after a full
 * GC by the JDK's jcmd, by no more than 30 times {@code parley.stream.max-pending-bytes} plus
 * noise; a client that then reads gets all 499 exactly.
 */
class CatchUpBoundIT {

  private static final int STREAMS = 30;
  private static final int MESSAGES = 500;
  private static final int BOUND = 1 << 20;

  /** What a server's heap moves by between two full GCs with nothing going on. */
  private static final long NOISE = 16L << 20;

  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * With a number before it, 2,000 characters (the default limit), nearly all of three bytes in
   * UTF-8.
   */
  private static final String TEXT = "聊".repeat(1995);

  @Test
  void farBehindClientsThatNeverReadCostAtMostTheBoundEach() {
    try (ParleyServer server =
        new ParleyServer(
                "catchup",
                Map.of(
                    "parley.history.size",
                    "1000",
                    "parley.stream.max-pending-bytes",
                    Integer.toString(BOUND)))
            .start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("far-behind");
      List<Message> posted = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        posted.add(api.post(room, "alice", String.format("%04d ", i) + TEXT));
      }
      assertTrue(posted.get(0).text().getBytes(StandardCharsets.UTF_8).length > 5900);
      String first = posted.get(0).id();
      long before = Heap.afterGc(server);

      List<SseClient> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < STREAMS; i++) {
          stalled.add(
              SseClient.stalledWith(
                  server, "api/rooms/" + room + "/events", Map.of("Last-Event-ID", first)));
        }
        Await.until("the streams to open", WAIT, () -> Metrics.openStreams(api, room) == STREAMS);
        List<Integer> ports = stalled.stream().map(SseClient::localPort).toList();
        Await.until(
            "every stalled connection to be full",
            WAIT,
            () -> Sockets.unsent(server.port(), ports) > STREAMS * 16L * 1024);
        long after = Heap.afterGc(server);
        long grown = after - before;
        System.out.printf(
            "CatchUpBoundIT: %d stalled streams resuming %d messages of %d bytes grew the heap by %d KiB"
                + " (bound %d KiB each); the kernel holds %d KiB unsent for them%n",
            STREAMS,
            MESSAGES - 1,
            posted.get(0).text().getBytes(StandardCharsets.UTF_8).length,
            grown >> 10,
            BOUND >> 10,
            Sockets.unsent(server.port(), ports) >> 10);
        assertTrue(
            grown <= STREAMS * (long) BOUND + NOISE,
            "the heap grew by "
                + (grown >> 10)
                + " KiB for "
                + STREAMS
                + " stalled streams, more than "
                + STREAMS
                + " x "
                + (BOUND >> 10)
                + " KiB + "
                + (NOISE >> 10)
                + " KiB");

        SseClient reader = stalled.get(0);
        reader.resumeReading();
        assertEquals(
            StreamIT.ids(posted.subList(1, MESSAGES)),
            StreamIT.eventIds(reader.messages(MESSAGES - 1, WAIT)));
      } finally {
        stalled.forEach(SseClient::close);
      }
    }
  }
}
