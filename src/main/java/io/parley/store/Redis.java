package io.parley.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Redis of cluster mode: one client, one shared connection for commands (Lettuce connections
 * are thread-safe), the key names, and the one place that turns a Redis failure into a {@link
 * StoreException} and logs an outage once, not per request.
 *
 * <p>The node starts even when Redis is down: the shared connection is made on first use and
 * Lettuce reconnects it by itself afterwards. Commands fail fast while it is disconnected.
 */
public final class Redis implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Redis.class.getName());
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final RedisClient client;
  private final String prefix;
  private final Object outageLock = new Object();
  private StatefulRedisConnection<String, String> shared; // guarded by this
  private boolean down; // guarded by outageLock

  public Redis(String url, String prefix) {
    this.client = RedisClient.create(url);
    this.client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    this.prefix = prefix;
  }

  /** Runs commands on the shared connection; a Redis failure becomes a {@link StoreException}. */
  public <T> T call(String what, Function<RedisCommands<String, String>, T> commands) {
    try {
      T result = commands.apply(shared().sync());
      recovered();
      return result;
    } catch (RedisException e) {
      failed(e);
      throw new StoreException("Redis could not " + what, e);
    }
  }

  /** A publish/subscribe connection of the caller's own; the caller closes it. */
  StatefulRedisPubSubConnection<String, String> connectPubSub() {
    return client.connectPubSub();
  }

  /** A connection of the caller's own, for blocking reads; the caller closes it. */
  StatefulRedisConnection<String, String> connectDedicated() {
    return client.connect();
  }

  /** Logs the start of an outage once. */
  void failed(RedisException e) {
    synchronized (outageLock) {
      if (!down) {
        down = true;
        LOG.log(
            Level.WARNING,
            "Redis is unreachable: posts answer 503 and streams wait for it ({0})",
            e.toString());
      }
    }
  }

  /** Logs the end of an outage once. */
  void recovered() {
    synchronized (outageLock) {
      if (down) {
        down = false;
        LOG.info("Redis is back");
      }
    }
  }

  String roomKey(String room) {
    return prefix + "room:" + room;
  }

  String roomOfKey(String key) {
    return key.substring((prefix + "room:").length());
  }

  String roomsKey() {
    return prefix + "rooms";
  }

  /** A room's changes: each edited or deleted message's id to how it stands now. */
  String changesKey(String room) {
    return prefix + "changes:" + room;
  }

  /** A room's bans: nick key to the ban. */
  String bansKey(String room) {
    return prefix + "bans:" + room;
  }

  /** The rooms that have (or had) bans. */
  String bannedRoomsKey() {
    return prefix + "banned-rooms";
  }

  /** The channel every node's typing signals go through. */
  String typingChannel() {
    return prefix + "typing";
  }

  String idempotencyKey(String poster, String key) {
    return prefix + "idempotency:" + poster + ":" + key;
  }

  String sessionKey(String digest) {
    return prefix + "session:" + digest;
  }

  String heldNickKey(String nickKey) {
    return prefix + "nick:" + nickKey;
  }

  String privateRoomKey(String room) {
    return prefix + "private:" + room;
  }

  String membersKey(String room) {
    return prefix + "members:" + room;
  }

  String privateRoomsKey() {
    return prefix + "private-rooms";
  }

  String presenceKey(String room) {
    return prefix + "presence:" + room;
  }

  private synchronized StatefulRedisConnection<String, String> shared() {
    if (shared == null) {
      shared = client.connect();
    }
    return shared;
  }

  @Override
  public synchronized void close() {
    if (shared != null) {
      shared.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
