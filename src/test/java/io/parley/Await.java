package io.parley;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Waits for a condition to hold (Awaitility, checking every 20 ms), and fails after a timeout. */
public final class Await {

  private static final Duration EVERY = Duration.ofMillis(20);

  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollDelay(Duration.ZERO)
        .pollInterval(EVERY)
        .until(condition::getAsBoolean);
  }
}
