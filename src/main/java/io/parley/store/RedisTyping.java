package io.parley.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.parley.core.Repeating;
import io.parley.core.TypingSignals;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Typing signals shared by every node: each is published on one Redis channel ({@link
 * Redis#typingChannel}) as {@code room\nnick}, and every node, this one included, hears it through
 * its subscription (which Lettuce renews after a reconnect). A node that starts while Redis is down
 * tries again every {@value #RETRY_MILLIS} ms (and at its own first signal) until it is subscribed.
 */
public final class RedisTyping implements TypingSignals {

  private static final Logger LOG = Logger.getLogger(RedisTyping.class.getName());

  /** How often a node that could not subscribe tries again. */
  static final long RETRY_MILLIS = 2_000;

  private final Redis redis;
  private final ScheduledExecutorService retries = Repeating.daemon("parley-typing-subscribe");
  private StatefulRedisPubSubConnection<String, String> subscription; // guarded by this
  private volatile BiConsumer<String, String> listener = (room, nick) -> {};

  public RedisTyping(Redis redis) {
    this.redis = redis;
    try {
      subscribe();
      retries.shutdown();
    } catch (RedisException down) {
      LOG.warning("Redis is down: typing signals are heard once it is back");
      Repeating.every(retries, RETRY_MILLIS, "Subscribing to typing signals", this::trySubscribe);
    }
  }

  /**
   * One more try, for the retries: quiet while Redis is still down, done for good once subscribed.
   */
  private void trySubscribe() {
    try {
      subscribe();
      retries.shutdown();
      LOG.info("Redis is back: typing signals of every node are heard again");
    } catch (RedisException stillDown) {
      LOG.log(Level.FINE, "Redis is still down; typing signals wait", stillDown);
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
    retries.shutdownNow();
    if (subscription != null) {
      subscription.close();
    }
  }
}
