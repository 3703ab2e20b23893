package io.parley.api;

import io.parley.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open streams per client ({@code parley.limit.streams-per-client}, 429) and per node
 * ({@code parley.limit.streams-per-node}, 503). A stream takes a place before it opens and gives
 * it back once, when it closes.
 */
@ApplicationScoped
public class StreamLimits {

  static final long CLIENT_RETRY_AFTER_SECONDS = 5;
  static final long NODE_RETRY_AFTER_SECONDS = 10;

  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger onNode = new AtomicInteger();
  private final int maxPerClient;
  private final int maxOnNode;

  @Inject
  public StreamLimits(ParleyConfig config) {
    this(config.streamsPerClient(), config.streamsPerNode());
  }

  StreamLimits(int maxPerClient, int maxOnNode) {
    this.maxPerClient = maxPerClient;
    this.maxOnNode = maxOnNode;
  }

  /** For the CDI proxy only. */
  protected StreamLimits() {
    this(0, 0);
  }

  /** Takes a place for a stream of {@code client}; run the returned action when the stream ends. */
  public Runnable admit(String client) {
    if (onNode.incrementAndGet() > maxOnNode) {
      onNode.decrementAndGet();
      throw new LimitExceededException(LimitExceededException.Limit.STREAMS_PER_NODE, NODE_RETRY_AFTER_SECONDS);
    }
    AtomicBoolean admitted = new AtomicBoolean();
    perClient.compute(client, (key, open) -> {
      int now = open == null ? 0 : open;
      admitted.set(now < maxPerClient);
      return admitted.get() ? now + 1 : open;
    });
    if (!admitted.get()) {
      onNode.decrementAndGet();
      throw new LimitExceededException(LimitExceededException.Limit.STREAMS_PER_CLIENT, CLIENT_RETRY_AFTER_SECONDS);
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
