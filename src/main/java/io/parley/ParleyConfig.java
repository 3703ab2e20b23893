package io.parley;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every setting of Parley, read once through MicroProfile Config. Defaults live in
 * {@code META-INF/microprofile-config.properties}; system properties and environment variables
 * ({@code PARLEY_HISTORY_SIZE}) override them.
 */
@Dependent
public class ParleyConfig {

  private final String store;
  private final Path dataDir;
  private final String redisUrl;
  private final String redisPrefix;
  private final int historySize;
  private final int replaySize;
  private final Duration heartbeat;
  private final long retryMillis;
  private final int messageMaxLength;
  private final int streamMaxPending;
  private final int streamWriterThreads;
  private final int bodyLimitBytes;

  @Inject
  public ParleyConfig(
      @ConfigProperty(name = "parley.store") String store,
      @ConfigProperty(name = "parley.data-dir") String dataDir,
      @ConfigProperty(name = "parley.redis.url") String redisUrl,
      @ConfigProperty(name = "parley.redis.prefix") String redisPrefix,
      @ConfigProperty(name = "parley.history.size") int historySize,
      @ConfigProperty(name = "parley.replay.size") int replaySize,
      @ConfigProperty(name = "parley.heartbeat.seconds") int heartbeatSeconds,
      @ConfigProperty(name = "parley.retry.millis") long retryMillis,
      @ConfigProperty(name = "parley.message.max-length") int messageMaxLength,
      @ConfigProperty(name = "parley.stream.max-pending") int streamMaxPending,
      @ConfigProperty(name = "parley.stream.writer-threads") int streamWriterThreads,
      @ConfigProperty(name = "parley.limit.body-bytes") int bodyLimitBytes) {
    this.store = oneOf("parley.store", store, "embedded", "redis");
    this.dataDir = Path.of(dataDir);
    this.redisUrl = redisUrl;
    this.redisPrefix = redisPrefix;
    this.historySize = atLeast("parley.history.size", historySize, 1);
    this.replaySize = atLeast("parley.replay.size", replaySize, 0);
    this.heartbeat = Duration.ofSeconds(atLeast("parley.heartbeat.seconds", heartbeatSeconds, 1));
    this.retryMillis = atLeast("parley.retry.millis", retryMillis, 0);
    this.messageMaxLength = atLeast("parley.message.max-length", messageMaxLength, 1);
    this.streamMaxPending = atLeast("parley.stream.max-pending", streamMaxPending, 16);
    this.streamWriterThreads = atLeast("parley.stream.writer-threads", streamWriterThreads, 1);
    this.bodyLimitBytes = atLeast("parley.limit.body-bytes", bodyLimitBytes, 256);
  }

  public String store() {
    return store;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Whether messages and presence are shared through Redis with other nodes. */
  public boolean clustered() {
    return store.equals("redis");
  }

  public String redisUrl() {
    return redisUrl;
  }

  /** Put before every Redis key Parley uses, so several deployments can share one Redis. */
  public String redisPrefix() {
    return redisPrefix;
  }

  public int historySize() {
    return historySize;
  }

  public int replaySize() {
    return Math.min(replaySize, historySize);
  }

  public Duration heartbeat() {
    return heartbeat;
  }

  public long retryMillis() {
    return retryMillis;
  }

  public int messageMaxLength() {
    return messageMaxLength;
  }

  /** Events a stream may have waiting before it is cut off as too slow. */
  public int streamMaxPending() {
    return streamMaxPending;
  }

  public int streamWriterThreads() {
    return streamWriterThreads;
  }

  /** The largest request body accepted, in bytes. */
  public int bodyLimitBytes() {
    return bodyLimitBytes;
  }

  private static String oneOf(String key, String value, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", not " + value);
  }

  private static <N extends Number & Comparable<N>> N atLeast(String key, N value, long min) {
    if (value.longValue() < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
    }
    return value;
  }
}
