package io.parley.api;

import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open streams per client ({@code parley.limit.streams-per-client}, 429) and per node ({@code
 * parley.limit.streams-per-node}, 503), and how often a client may open one ({@code
 * parley.limit.stream-opens-per-second} after a burst of {@code parley.limit.stream-opens-burst},
 * 429). A stream takes a place before it opens and gives it back once, when it closes.
 */
@ApplicationScoped
public class StreamLimits {

  static final long CLIENT_RETRY_AFTER_SECONDS = 5;
  static final long NODE_RETRY_AFTER_SECONDS = 10;

  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger onNode = new AtomicInteger();
  private final int maxPerClient;
  private final int maxOnNode;

  private final ClientRateLimit opens;

  @Inject
  public StreamLimits(ParleyConfig config) {
    this(
        config.streamsPerClient(),
        config.streamsPerNode(),
        config.streamOpensPerSecond(),
        config.streamOpensBurst());
  }

  StreamLimits(int maxPerClient, int maxOnNode, int opensPerSecond, int opensBurst) {
    this.maxPerClient = maxPerClient;
    this.maxOnNode = maxOnNode;
    this.opens =
        new ClientRateLimit(
            LimitExceededException.Limit.STREAM_OPENS_PER_CLIENT,
            opensPerSecond,
            opensBurst,
            System::nanoTime);
  }

  /** For the CDI proxy only. */
  protected StreamLimits() {
    this(0, 0, 1, 1);
  }

  /** Takes a place for a stream of {@code client}; run the returned action when the stream ends. */
  public Runnable admit(String client) {
    opens.admit(client);
    if (onNode.incrementAndGet() > maxOnNode) {
      onNode.decrementAndGet();
      throw new LimitExceededException(
          LimitExceededException.Limit.STREAMS_PER_NODE, NODE_RETRY_AFTER_SECONDS);
    }
    AtomicBoolean admitted = new AtomicBoolean();
    perClient.compute(
        client,
        (key, open) -> {
          int now = open == null ? 0 : open;
          admitted.set(now < maxPerClient);
          return admitted.get() ? now + 1 : open;
        });
    if (!admitted.get()) {
      onNode.decrementAndGet();
      throw new LimitExceededException(
          LimitExceededException.Limit.STREAMS_PER_CLIENT, CLIENT_RETRY_AFTER_SECONDS);
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        perClient.computeIfPresent(client, (key, open) -> open == 1 ? null : open - 1);
        onNode.decrementAndGet();
      }
    };
  }

  /** Streams open on this node. */
  public int open() {
    return onNode.get();
  }
}
