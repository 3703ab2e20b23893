package io.parley.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A rate per client (of posts, of stream opens): a token bucket of {@code burst} requests, refilled
 * at {@code perSecond}. Buckets are immutable values replaced atomically in a concurrent map; full
 * ones are dropped now and then, so idle clients cost nothing. Thread-safe.
 */
final class ClientRateLimit {

  private static final int SWEEP_EVERY = 4096;

  /**
   * What is left in a client's bucket at a moment, and whether the post that made it was let
   * through.
   */
  private record Bucket(double tokens, long atNanos, boolean admitted) {}

  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();
  private final double perSecond;
  private final double burst;
  private final LongSupplier clock;
  private final LimitExceededException.Limit limit;

  ClientRateLimit(
      LimitExceededException.Limit limit, int perSecond, int burst, LongSupplier nanoClock) {
    this.limit = limit;
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = nanoClock;
  }

  /**
   * Takes one request from the client's bucket, or throws with how long until the next one is free.
   */
  void admit(String client) {
    long now = clock.getAsLong();
    Bucket after =
        buckets.compute(
            client,
            (key, bucket) -> {
              double tokens = bucket == null ? burst : refilled(bucket, now);
              return tokens >= 1
                  ? new Bucket(tokens - 1, now, true)
                  : new Bucket(tokens, now, false);
            });
    if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
      buckets.values().removeIf(bucket -> refilled(bucket, now) >= burst);
    }
    if (!after.admitted()) {
      long seconds = (long) Math.ceil((1 - after.tokens()) / perSecond);
      throw new LimitExceededException(limit, Math.max(1, seconds));
    }
  }

  private double refilled(Bucket bucket, long now) {
    double seconds = (now - bucket.atNanos()) / (double) TimeUnit.SECONDS.toNanos(1);
    return Math.min(burst, bucket.tokens() + seconds * perSecond);
  }
}
