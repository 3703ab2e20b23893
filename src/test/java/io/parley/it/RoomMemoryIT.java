package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A room nobody streams from leaves the node's memory after {@code parley.room.idle-seconds} (2 s
 * here), measured as the JVM sees it: the heap after a full GC. On Tomcat 10.1 only (the rooms'
 * lifecycle is the same on every container; a minute of streams need not run five times).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomMemoryIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Room names opened and left, as a client spamming names would. */
  private static final int NAMES = 100_000;

  /** How far the heap may be from where it started, after a full GC, once the names are gone. */
  private static final long NOISE = 8L << 20;

  /** Streams per client address: the opens' rate limit is not what is measured here. */
  private static final int PER_CLIENT = 20;

  private final AtomicInteger clients = new AtomicInteger();
  private ParleyServer server;
  private Api api;

  @BeforeAll
  void start() {
    server =
        new ParleyServer(
                "room-memory",
                Map.of(
                    "parley.room.idle-seconds", "2",
                    "parley.heartbeat.seconds", "1",
                    "parley.trusted-proxies", "127.0.0.1"))
            .start();
    api = new Api(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * A client opening and leaving streams in 100,000 fresh room names (opens are rate-limited per
   * client; the test server lifts that) leaves the heap, after a full GC, within a few MB of where
   * it started once the rooms' idle time has passed; none of the names is listed.
   */
  @Test
  void roomNamesListenedToAndLeftLeaveTheHeapOnceIdle() throws Exception {
    String prefix = "spam-" + Long.toString(System.nanoTime(), 36) + "-";
    openAndLeave(
        prefix, 2_000); // the first streams load classes and fill pools: not what is measured
    awaitRoomsGone();
    long before = Heap.afterGc(server);
    long started = System.nanoTime();
    openAndLeave(prefix, NAMES);
    long opened = System.nanoTime();
    long whileThere = Heap.afterGc(server);
    awaitRoomsGone();
    long after = Heap.afterGc(server);
    System.out.printf(
        "RoomMemoryIT: %,d rooms opened and left in %.1f s: heap after GC %,d KiB before, %,d KiB with them, %,d KiB once idle%n",
        NAMES, (opened - started) / 1e9, before >> 10, whileThere >> 10, after >> 10);
    assertTrue(
        after - before <= NOISE,
        "the heap is " + ((after - before) >> 10) + " KiB above where it started");
    assertTrue(
        api.get("api/rooms?after=" + prefix.substring(0, prefix.length() - 1) + "&limit=10")
                .body()
                .indexOf(prefix)
            < 0,
        "names merely listened to are not listed");
  }

  /**
   * Waits until the node holds no room in memory (the other test's rooms go too: nobody streams
   * there).
   */
  private void awaitRoomsGone() {
    Await.until(
        "the idle rooms to leave the node",
        WAIT,
        () -> Metrics.scrape(api).value("parley_rooms_held") == 0);
  }

  /**
   * Opens a stream in each of {@code count} fresh rooms and closes it once it started, from four
   * threads, as a new client every {@value #PER_CLIENT} streams (the opens' rate is not what is
   * measured here).
   */
  private void openAndLeave(String prefix, int count) throws Exception {
    AtomicInteger next = new AtomicInteger();
    int firstClient = clients.getAndAdd(count / PER_CLIENT + 1) + 1;
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(
            clients.submit(
                () -> {
                  for (int n; (n = next.getAndIncrement()) < count; ) {
                    QuickStreams.openAndClose(
                        server,
                        "api/rooms/" + prefix + n + "/events",
                        client(firstClient + n / PER_CLIENT));
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  private static String client(int n) {
    return "10." + (88 + n / 62500) + "." + (n / 250 % 250) + "." + (n % 250 + 1);
  }
}
