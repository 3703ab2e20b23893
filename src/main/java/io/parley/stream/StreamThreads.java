package io.parley.stream;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a node's rooms use, all daemons: the timer (heartbeats, presence, idle rooms), the
 * fan-out (one per core; a room uses one at a time) and its helpers for rounds to many streams,
 * writers for sinks that are not Parley's (they may block: a thread per busy sink), and readers of
 * catch-up pages (the log may wait for the store).
 */
final class StreamThreads {

  final int cores = Runtime.getRuntime().availableProcessors();
  final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(named("parley-heartbeat"));
  final ExecutorService fanOut = Executors.newFixedThreadPool(cores, named("parley-fanout"));
  final ExecutorService helpers =
      Executors.newFixedThreadPool(cores, named("parley-fanout-helper"));
  final ExecutorService foreignWriters = Executors.newCachedThreadPool(named("parley-sink-writer"));
  final ExecutorService catchUpReaders =
      Executors.newFixedThreadPool(cores, named("parley-catch-up"));

  /** Stops the timer: no heartbeat or periodic task runs after this. */
  void stopTimer() {
    timer.shutdownNow();
  }

  /** Stops every thread; what was queued for them is dropped. */
  void stop() {
    timer.shutdownNow();
    fanOut.shutdownNow();
    helpers.shutdownNow();
    foreignWriters.shutdownNow();
    catchUpReaders.shutdownNow();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
