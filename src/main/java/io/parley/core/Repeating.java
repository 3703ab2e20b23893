package io.parley.core;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a task again and again on a scheduler. A run that throws is logged and the next run still
 * comes (a plain {@code scheduleWithFixedDelay} would stop for good, silently).
 */
public final class Repeating {

  private static final Logger LOG = Logger.getLogger(Repeating.class.getName());

  private Repeating() {}

  /** A scheduler of its own: one daemon thread called {@code name}. */
  public static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Runs {@code task} every {@code periodMillis}, counted from the end of one run. */
  public static void every(
      ScheduledExecutorService scheduler, long periodMillis, String what, Runnable task) {
    var unused =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                task.run();
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, what + " failed; it runs again", e);
              }
            },
            periodMillis,
            periodMillis,
            TimeUnit.MILLISECONDS);
  }
}
