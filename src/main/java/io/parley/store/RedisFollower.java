package io.parley.store;

import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.parley.core.AppendListener;
import io.parley.core.Entry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One thread per node that reads, with blocking {@code XREAD}s on a connection of its own, every
 * message any node appends to the rooms this node follows, and tells them to the {@link
 * AppendListener} once each, in each room's order. It remembers the last id it told per room, so
 * after a Redis outage or a stall it goes on exactly where it stopped; if the room moved on without
 * it meanwhile (history trimmed past that id, or lost with Redis), it says so.
 */
final class RedisFollower implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(RedisFollower.class.getName());

  /** How long one read waits; a room followed meanwhile is read from the next one on. */
  private static final Duration BLOCK = Duration.ofMillis(200);

  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
  private static final int BATCH = 1000;

  private final Redis redis;
  private final BiFunction<String, StreamMessage<String, String>, Entry> toEntry;

  /** Room -> id of the last message told (or the room's last id when it was first followed). */
  private final Map<String, String> told = new ConcurrentHashMap<>();

  private volatile boolean running = true;
  private Thread thread;

  RedisFollower(Redis redis, BiFunction<String, StreamMessage<String, String>, Entry> toEntry) {
    this.redis = redis;
    this.toEntry = toEntry;
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
   * Follows a room from its current last message on; fails with StoreException while Redis is down.
   */
  void follow(String room) {
    if (told.containsKey(room)) {
      return;
    }
    // Outside the map's lock, so that a slow Redis holds up only this room. Whichever caller's
    // last id is kept, it was read before any of them returned, so before their catch-ups read.
    String last =
        redis.call(
            "follow room " + room,
            c -> RedisMessageLog.lastId(c, redis.roomKey(room)).orElse(StreamId.ZERO.toString()));
    told.putIfAbsent(room, last);
  }

  /** Stops reading the room's appends (from the next read on). */
  void unfollow(String room) {
    told.remove(room);
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
                .map(
                    entry ->
                        XReadArgs.StreamOffset.from(
                            redis.roomKey(entry.getKey()), entry.getValue()))
                .toArray(XReadArgs.StreamOffset[]::new);
        List<StreamMessage<String, String>> read =
            connection.sync().xread(XReadArgs.Builder.block(BLOCK).count(BATCH), from);
        redis.recovered();
        for (StreamMessage<String, String> entry : read) {
          tell(redis.roomOfKey(entry.getStream()), entry, listener);
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
   * Tells the listener of an entry read, unless the room moved on without this node: an entry that
   * does not follow the last one told (trimming took what came between, while this node was stalled
   * or slow, or Redis lost the room) makes the room's streams start over instead.
   */
  private void tell(String room, StreamMessage<String, String> entry, AppendListener listener) {
    String last = told.get(room);
    if (last == null
        || StreamId.parse(entry.getId()).orElseThrow().compareTo(StreamId.parse(last).orElseThrow())
            <= 0) {
      return; // no longer followed, or followed again since this read began
    }
    String previous = entry.getBody().get(RedisAppend.PREVIOUS);
    if (previous != null && !previous.equals(last)) {
      LOG.warning(
          () ->
              "Room "
                  + room
                  + " moved on past "
                  + last
                  + " without this node (its entry "
                  + entry.getId()
                  + " follows "
                  + previous
                  + "); its streams start over");
      startOver(room, listener);
      return;
    }
    listener.appended(toEntry.apply(room, entry));
    told.put(room, entry.getId());
  }

  /**
   * After an outage: a room whose last told message is gone (trimmed meanwhile, or lost with Redis)
   * starts over.
   */
  private void forgetLostRooms(AppendListener listener) {
    for (Map.Entry<String, String> entry : Map.copyOf(told).entrySet()) {
      String room = entry.getKey();
      String last = entry.getValue();
      if (last.equals(StreamId.ZERO.toString())) {
        continue;
      }
      String key = redis.roomKey(room);
      if (redis.call("read room " + room, c -> c.xrange(key, Range.create(last, last)).isEmpty())) {
        LOG.warning(
            () ->
                "Room " + room + " no longer holds " + last + " in Redis; its streams start over");
        startOver(room, listener);
      }
    }
  }

  /**
   * Follows the room again from its current last message, then tells the listener that its streams
   * must start over; the room stays followed throughout, so a stream opened meanwhile misses
   * nothing.
   */
  private void startOver(String room, AppendListener listener) {
    told.put(
        room,
        redis.call(
            "follow room " + room,
            c -> RedisMessageLog.lastId(c, redis.roomKey(room)).orElse(StreamId.ZERO.toString())));
    listener.historyLost(room);
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
