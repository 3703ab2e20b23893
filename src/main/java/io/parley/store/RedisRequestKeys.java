package io.parley.store;

import io.lettuce.core.SetArgs;
import io.parley.core.RequestKeys;
import java.time.Duration;
import java.util.Optional;

/**
 * Requests' idempotency keys in Redis: {@code SET NX} with the key's time, so one of two racing
 * requests is remembered. The value is the request, a line break, and the answer.
 */
public final class RedisRequestKeys implements RequestKeys {

  private final Redis redis;

  public RedisRequestKeys(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Optional<First> rememberFirst(String poster, String key, First first, Duration keep) {
    String redisKey = redis.idempotencyKey("request:" + poster, key);
    return redis.call(
        "remember an idempotency key",
        c -> {
          String set =
              c.set(
                  redisKey,
                  first.request() + "\n" + first.answer(),
                  SetArgs.Builder.nx().ex(Math.max(1, keep.toSeconds())));
          if ("OK".equals(set)) {
            return Optional.<First>empty();
          }
          String held = c.get(redisKey);
          if (held == null) {
            return Optional.<First>empty(); // expired in between: this one counts as first
          }
          int split = held.indexOf('\n');
          return Optional.of(new First(held.substring(0, split), held.substring(split + 1)));
        });
  }
}
