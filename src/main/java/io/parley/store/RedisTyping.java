package io.parley.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.core.TypingSignals;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Typing signals shared by every node: each is published on one Redis channel ({@link
 * Redis#typingChannel}) as {@code room\nnick}, and every node, this one included, hears it through
 * its subscription (which Lettuce renews after a reconnect). A node that starts while Redis is down
 * subscribes at its first signal once Redis is back.
 */
public final class RedisTyping implements TypingSignals {

  private static final Logger LOG = Logger.getLogger(RedisTyping.class.getName());

  private final Redis redis;
  private StatefulRedisPubSubConnection<String, String> subscription; // guarded by this
  private volatile BiConsumer<String, String> listener = (room, nick) -> {};

  public RedisTyping(Redis redis) {
    this.redis = redis;
    try {
      subscribe();
    } catch (RedisException down) {
      LOG.warning(
          "Redis is down: typing signals are heard from the first one made after it is back");
    }
  }

  private synchronized void subscribe() {
    if (subscription != null) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> connection = redis.connectPubSub();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String message) {
            int split = message.indexOf('\n');
            if (split > 0) {
              try {
                listener.accept(message.substring(0, split), message.substring(split + 1));
              } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot hand a typing signal to the rooms", e);
              }
            }
          }
        });
    connection.sync().subscribe(redis.typingChannel());
    subscription = connection;
  }

  @Override
  public void typed(String room, String nick) {
    try {
      subscribe();
    } catch (RedisException down) {
      throw new StoreException("Redis could not take a typing signal", down);
    }
    redis.call(
        "publish a typing signal", c -> c.publish(redis.typingChannel(), room + "\n" + nick));
  }

  @Override
  public void onTyped(BiConsumer<String, String> listener) {
    this.listener = listener;
  }

  @Override
  public synchronized void close() {
    if (subscription != null) {
      subscription.close();
    }
  }
}
