package io.parley.store;

import io.lettuce.core.Range;
import io.parley.core.Presence;
import io.parley.core.Repeating;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide presence: per room, a Redis sorted set of {@code <node>/<nick>} members scored by
 * when they expire. Each node renews its own members every {@link #RENEW_EVERY}; the members of a
 * node that died expire within {@link #TTL} and drop out of every node's list.
 *
 * <p>Only this class's own thread talks to Redis. Rooms tell it of their nicks and ask it who is
 * online without waiting: it writes a room's current nicks (not each arrival and departure, so the
 * last word wins whatever the order of the writes), and answers from what it last read of the other
 * nodes. A slow Redis delays presence, never the room.
 */
public final class RedisPresence implements Presence, AutoCloseable {

  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration RENEW_EVERY = Duration.ofSeconds(5);

  /** How often the other nodes' nicks are read, for the rooms this node has been asked about. */
  static final Duration READ_EVERY = Duration.ofSeconds(1);

  private final Redis redis;
  private final String node = UUID.randomUUID().toString();

  /** This node's nicks per room, as its rooms last told; written by them, read by the worker. */
  private final Map<String, Set<String>> local = new ConcurrentHashMap<>();

  /** Rooms whose nicks changed since the worker last wrote them. */
  private final Set<String> changed = ConcurrentHashMap.newKeySet();

  /** The other nodes' nicks per room, as the worker last read them; the rooms asked about. */
  private final Map<String, Set<String>> others = new ConcurrentHashMap<>();

  /** This node's nicks per room as last written to Redis; the worker's alone. */
  private final Map<String, Set<String>> written = new HashMap<>();

  private final ScheduledExecutorService worker;

  public RedisPresence(Redis redis) {
    this.redis = redis;
    this.worker = Repeating.daemon("parley-presence");
    Repeating.every(
        worker, RENEW_EVERY.toMillis(), "renewing this node's presence", this::renewAll);
    Repeating.every(worker, READ_EVERY.toMillis(), "reading presence", this::readAll);
  }

  @Override
  public void arrived(String room, String nick) {
    local.compute(
        room,
        (name, nicks) -> {
          Set<String> here = nicks == null ? ConcurrentHashMap.newKeySet() : nicks;
          here.add(nick);
          return here;
        });
    changed(room);
  }

  @Override
  public void departed(String room, String nick) {
    local.computeIfPresent(
        room,
        (name, nicks) -> {
          nicks.remove(nick);
          return nicks.isEmpty() ? null : nicks;
        });
    changed(room);
  }

  @Override
  public List<String> online(String room, Set<String> here) {
    Set<String> nicks = new TreeSet<>(here);
    Set<String> elsewhere = others.putIfAbsent(room, Set.of());
    if (elsewhere == null) {
      onWorker(() -> read(room)); // first asked: known from the next read on
    } else {
      nicks.addAll(elsewhere);
    }
    return List.copyOf(nicks);
  }

  @Override
  public List<String> onlineNow(String room) {
    try {
      return List.copyOf(new TreeSet<>(readMembers(room, true)));
    } catch (StoreException e) {
      return List.of();
    }
  }

  @Override
  public void forget(String room) {
    others.remove(room);
  }

  @Override
  public boolean shared() {
    return true;
  }

  private void changed(String room) {
    if (changed.add(room)) {
      onWorker(() -> write(room));
    }
  }

  private void onWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException stopping) {
      // closed: this node's members are removed, or expire
    }
  }

  /**
   * Writes the room's nicks as they are now: renews those here, removes those gone. Worker only.
   */
  private void write(String room) {
    changed.remove(room);
    Set<String> now = Set.copyOf(local.getOrDefault(room, Set.of()));
    Set<String> gone = new HashSet<>(written.getOrDefault(room, Set.of()));
    gone.removeAll(now);
    try {
      redis.call(
          "record presence",
          c -> {
            for (String nick : now) {
              c.zadd(redis.presenceKey(room), expiry(), member(nick));
            }
            for (String nick : gone) {
              c.zrem(redis.presenceKey(room), member(nick));
            }
            return null;
          });
    } catch (StoreException e) {
      return; // Redis is down (logged once by Redis): the next renewal writes it again
    }
    if (now.isEmpty()) {
      written.remove(room);
    } else {
      written.put(room, now);
    }
  }

  private void renewAll() {
    Set<String> rooms = new HashSet<>(written.keySet());
    rooms.addAll(local.keySet());
    long now = System.currentTimeMillis();
    for (String room : rooms) {
      write(room);
      try {
        redis.call(
            "expire presence",
            c -> c.zremrangebyscore(redis.presenceKey(room), Range.create(0d, (double) now)));
      } catch (StoreException e) {
        return;
      }
    }
  }

  private void readAll() {
    for (String room : others.keySet()) {
      read(room);
    }
  }

  /**
   * Reads the other nodes' nicks in the room; with Redis down, this node knows only its own. Worker
   * only.
   */
  private void read(String room) {
    Set<String> elsewhere;
    try {
      elsewhere = Set.copyOf(readMembers(room, false));
    } catch (StoreException e) {
      elsewhere = Set.of();
    }
    others.put(room, elsewhere);
  }

  private Set<String> readMembers(String room, boolean withOwn) {
    long now = System.currentTimeMillis();
    Set<String> nicks = new HashSet<>();
    for (String member :
        redis.call(
            "read presence",
            c ->
                c.zrangebyscore(
                    redis.presenceKey(room), Range.create((double) now, Double.MAX_VALUE)))) {
      if (withOwn || !member.startsWith(node + "/")) {
        nicks.add(member.substring(member.indexOf('/') + 1));
      }
    }
    return nicks;
  }

  private double expiry() {
    return System.currentTimeMillis() + TTL.toMillis();
  }

  private String member(String nick) {
    return node + "/" + nick;
  }

  /** Removes this node's members at once, so other nodes need not wait for them to expire. */
  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Set<String> rooms = new HashSet<>(written.keySet());
    rooms.addAll(local.keySet());
    for (String room : rooms) {
      Set<String> nicks = new HashSet<>(written.getOrDefault(room, Set.of()));
      nicks.addAll(local.getOrDefault(room, Set.of()));
      try {
        redis.call(
            "clear presence",
            c -> {
              for (String nick : nicks) {
                c.zrem(redis.presenceKey(room), member(nick));
              }
              return null;
            });
      } catch (RuntimeException e) {
        return; // Redis is down or closed: the members expire
      }
    }
  }
}
