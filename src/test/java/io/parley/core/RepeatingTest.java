package io.parley.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RepeatingTest {

  @Test
  void aRunThatThrowsDoesNotStopTheNextOnes() throws InterruptedException {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch threeRuns = new CountDownLatch(3);
      Repeating.every(
          scheduler,
          1,
          "a task that always fails",
          () -> {
            runs.incrementAndGet();
            threeRuns.countDown();
            throw new IllegalStateException("run " + runs.get() + " fails on purpose");
          });
      assertTrue(threeRuns.await(10, TimeUnit.SECONDS), "runs after failures: " + runs.get());
    } finally {
      scheduler.shutdownNow();
    }
  }
}
