package io.parley;

import io.parley.config.ParleyConfig;
import io.parley.core.BanStore;
import io.parley.core.MessageLog;
import io.parley.core.Presence;
import io.parley.core.PrivateRoomStore;
import io.parley.core.RequestKeys;
import io.parley.core.SessionStore;
import io.parley.core.TypingSignals;
import io.parley.ops.ParleyMetrics;
import io.parley.store.EmbeddedMessageLog;
import io.parley.store.Redis;
import io.parley.store.RedisBans;
import io.parley.store.RedisMessageLog;
import io.parley.store.RedisPresence;
import io.parley.store.RedisPrivateRooms;
import io.parley.store.RedisRequestKeys;
import io.parley.store.RedisSessions;
import io.parley.store.RedisTyping;
import io.parley.stream.LocalPresence;
import io.parley.stream.LocalTyping;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Logger;

/**
 * Opens what {@code parley.store} names, once, and closes it on shutdown: the embedded log with
 * sessions in its database and presence kept on this node, or the Redis log with sessions and
 * presence shared by every node.
 */
@ApplicationScoped
public class MessageLogProducer {

  private static final Logger LOG = Logger.getLogger(MessageLogProducer.class.getName());

  private Redis redis; // guarded by this
  private EmbeddedMessageLog embedded; // guarded by this

  @Produces
  @ApplicationScoped
  MessageLog open(ParleyConfig config, ParleyMetrics metrics) {
    if (config.clustered()) {
      LOG.info(
          () ->
              "Keeping messages in Redis at "
                  + config.redisUrl()
                  + " under the prefix "
                  + config.redisPrefix());
      return metrics.timed(new RedisMessageLog(redis(config), config.historySize()));
    }
    LOG.info(
        () ->
            "Opening the embedded message log in "
                + config.dataDir()
                + (config.syncEveryCommit()
                    ? ", each commit synced to the device"
                    : ", syncing left to the operating system"));
    return metrics.timed(embedded(config));
  }

  void close(@Disposes MessageLog log) {
    log.close();
  }

  @Produces
  @ApplicationScoped
  Presence presence(ParleyConfig config) {
    return config.clustered() ? new RedisPresence(redis(config)) : new LocalPresence();
  }

  void close(@Disposes Presence presence) {
    if (presence instanceof RedisPresence shared) {
      shared.close();
    }
  }

  /** Typing signals: through Redis to every node, or on this node alone. */
  @Produces
  @ApplicationScoped
  TypingSignals typing(ParleyConfig config) {
    return config.clustered() ? new RedisTyping(redis(config)) : new LocalTyping();
  }

  void close(@Disposes TypingSignals typing) {
    typing.close();
  }

  /** Where bans are kept: in the embedded store's database, or in Redis. */
  @Produces
  @ApplicationScoped
  BanStore bans(ParleyConfig config) {
    return config.clustered() ? new RedisBans(redis(config)) : embedded(config).bans();
  }

  /** Where requests' idempotency keys are kept: in the embedded store's database, or in Redis. */
  @Produces
  @ApplicationScoped
  RequestKeys requestKeys(ParleyConfig config) {
    return config.clustered()
        ? new RedisRequestKeys(redis(config))
        : embedded(config).requestKeys();
  }

  /** Where sessions are kept: in the embedded store's database, or in Redis. */
  @Produces
  @ApplicationScoped
  SessionStore sessions(ParleyConfig config) {
    return config.clustered() ? new RedisSessions(redis(config)) : embedded(config).sessions();
  }

  /** Where private rooms are kept: in the embedded store's database, or in Redis. */
  @Produces
  @ApplicationScoped
  PrivateRoomStore privateRooms(ParleyConfig config) {
    return config.clustered()
        ? new RedisPrivateRooms(redis(config))
        : embedded(config).privateRooms();
  }

  private synchronized EmbeddedMessageLog embedded(ParleyConfig config) {
    if (embedded == null) {
      embedded =
          new EmbeddedMessageLog(
              config.dataDir(),
              config.historySize(),
              config.syncEveryCommit(),
              config.storeMaxBytes());
    }
    return embedded;
  }

  private synchronized Redis redis(ParleyConfig config) {
    if (redis == null) {
      redis = new Redis(config.redisUrl(), config.redisPrefix());
    }
    return redis;
  }

  @PreDestroy
  synchronized void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }
}
