package io.parley.store;

import io.lettuce.core.Range;
import io.parley.stream.Presence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide presence: per room, a Redis sorted set of {@code <node>/<nick>} members scored by
 * when they expire. Each node renews its own members every {@link #RENEW_EVERY}; the members of
 * a node that died expire within {@link #TTL} and drop out of every node's list.
 */
public final class RedisPresence implements Presence, AutoCloseable {

  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration RENEW_EVERY = Duration.ofSeconds(5);

  private final Redis redis;
  private final String node = UUID.randomUUID().toString();
  /** This node's nicks per room. */
  private final Map<String, Set<String>> local = new ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer;

  public RedisPresence(Redis redis) {
    this.redis = redis;
    this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "parley-presence-renewer");
      thread.setDaemon(true);
      return thread;
    });
    renewer.scheduleWithFixedDelay(this::renewAll, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void arrived(String room, String nick) {
    local.computeIfAbsent(room, name -> ConcurrentHashMap.newKeySet()).add(nick);
    quietly(() -> redis.call("record presence", c -> c.zadd(redis.presenceKey(room), expiry(), member(nick))));
  }

  @Override
  public void departed(String room, String nick) {
    local.computeIfPresent(room, (name, nicks) -> {
      nicks.remove(nick);
      return nicks.isEmpty() ? null : nicks;
    });
    quietly(() -> redis.call("record presence", c -> c.zrem(redis.presenceKey(room), member(nick))));
  }

  @Override
  public List<String> online(String room, Set<String> here) {
    Set<String> nicks = new TreeSet<>(here);
    try {
      long now = System.currentTimeMillis();
      for (String member : redis.call("read presence", c -> c.zrangebyscore(redis.presenceKey(room), Range.create((double) now, Double.MAX_VALUE)))) {
        nicks.add(member.substring(member.indexOf('/') + 1));
      }
    } catch (StoreException e) {
      // Redis is down: this node's own nicks are all it can tell.
    }
    return List.copyOf(nicks);
  }

  @Override
  public boolean shared() {
    return true;
  }

  private void renewAll() {
    long now = System.currentTimeMillis();
    local.forEach((room, nicks) -> quietly(() -> redis.call("renew presence", c -> {
      for (String nick : nicks) {
        c.zadd(redis.presenceKey(room), expiry(), member(nick));
      }
      return c.zremrangebyscore(redis.presenceKey(room), Range.create(0d, (double) now));
    })));
  }

  private double expiry() {
    return System.currentTimeMillis() + TTL.toMillis();
  }

  private String member(String nick) {
    return node + "/" + nick;
  }

  private static void quietly(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      // Redis is down (logged once by Redis) or already closed at shutdown; renewal writes it
      // again once it is back.
    }
  }

  /** Removes this node's members at once, so other nodes need not wait for them to expire. */
  @Override
  public void close() {
    renewer.shutdownNow();
    local.forEach((room, nicks) -> quietly(() -> redis.call("clear presence", c -> {
      for (String nick : nicks) {
        c.zrem(redis.presenceKey(room), member(nick));
      }
      return null;
    })));
  }
}
