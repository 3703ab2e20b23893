package io.parley.store;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.parley.chat.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread per node that reads, with blocking {@code XREAD}s on a connection of its own,
 * every message any node appends to the rooms this node follows, and tells them to the
 * {@link AppendListener} once each, in each room's order. It remembers the last id it told per
 * room, so after a Redis outage it goes on exactly where it stopped; if a room's history is gone
 * when Redis comes back, it says so.
 */
final class RedisFollower implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisFollower.class.getName());
  /** How long one read waits; a room followed meanwhile is read from the next one on. */
  private static final Duration BLOCK = Duration.ofMillis(200);
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
  private static final int BATCH = 1000;

  private final Redis redis;
  private final BiFunction<String, StreamMessage<String, String>, Message> toMessage;
  /** Room -> id of the last message told (or the room's last id when it was first followed). */
  private final Map<String, String> told = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private Thread thread;

  RedisFollower(Redis redis, BiFunction<String, StreamMessage<String, String>, Message> toMessage) {
    this.redis = redis;
    this.toMessage = toMessage;
  }

  synchronized void start(AppendListener listener) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(() -> run(listener), "parley-redis-follower");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Follows a room from its current last message on, and lists it among the rooms every node
   * knows; fails with StoreException while Redis is down.
   */
  void follow(String room) {
    told.computeIfAbsent(room, name -> {
      redis.call("list room " + name, c -> c.sadd(redis.roomsKey(), name));
      return lastId(name).orElse(StreamId.ZERO.toString());
    });
  }

  private java.util.Optional<String> lastId(String room) {
    return redis.call("read room " + room, c -> RedisMessageLog.lastId(c, redis.roomKey(room)));
  }

  private void run(AppendListener listener) {
    StatefulRedisConnection<String, String> connection = null;
    boolean wasDown = false;
    while (running) {
      try {
        if (connection == null) {
          connection = redis.connectDedicated();
        }
        if (wasDown) {
          forgetLostRooms(listener);
          wasDown = false;
        }
        if (told.isEmpty()) {
          pause(BLOCK);
          continue;
        }
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] from =
            told.entrySet().stream()
                .map(entry -> XReadArgs.StreamOffset.from(redis.roomKey(entry.getKey()), entry.getValue()))
                .toArray(XReadArgs.StreamOffset[]::new);
        List<StreamMessage<String, String>> read = connection.sync().xread(XReadArgs.Builder.block(BLOCK).count(BATCH), from);
        redis.recovered();
        for (StreamMessage<String, String> entry : read) {
          String room = redis.roomOfKey(entry.getStream());
          listener.appended(toMessage.apply(room, entry));
          told.put(room, entry.getId());
        }
      } catch (RedisException | StoreException e) {
        if (!running) {
          break;
        }
        if (e instanceof RedisException redisFailure) {
          redis.failed(redisFailure);
        }
        wasDown = true;
        pause(PAUSE_AFTER_FAILURE);
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "Unexpected failure while following rooms on Redis; going on", e);
        pause(PAUSE_AFTER_FAILURE);
      }
    }
    if (connection != null) {
      connection.close();
    }
  }

  /**
   * After an outage: a room whose last told message is gone, and not because trimming removed it,
   * lost its history (a Redis that came back empty).
   */
  private void forgetLostRooms(AppendListener listener) {
    for (Map.Entry<String, String> entry : Map.copyOf(told).entrySet()) {
      String room = entry.getKey();
      StreamId last = StreamId.parse(entry.getValue()).orElseThrow();
      if (last.equals(StreamId.ZERO)) {
        continue;
      }
      String key = redis.roomKey(room);
      boolean lost = redis.call("read room " + room, c -> {
        if (!c.xrange(key, Range.create(last.toString(), last.toString())).isEmpty()) {
          return false;
        }
        if (c.exists(key) == 0) {
          return true;
        }
        return RedisMessageLog.maxDeletedId(c.xinfoStream(key)).map(trimmed -> trimmed.compareTo(last) < 0).orElse(true);
      });
      if (lost) {
        LOG.warning(() -> "Room " + room + " lost its history in Redis; its streams start over");
        told.remove(room);
        listener.historyLost(room);
      }
    }
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    Thread current;
    synchronized (this) {
      current = thread;
    }
    if (current != null) {
      current.interrupt();
      try {
        current.join(Duration.ofSeconds(3).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
