package io.parley.config;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every setting of Parley, read once through MicroProfile Config. Defaults live in {@code
 * META-INF/microprofile-config.properties}; system properties and environment variables ({@code
 * PARLEY_HISTORY_SIZE}) override them.
 */
public final class ParleyConfig {

  private final String store;
  private final Path dataDir;
  private final boolean syncEveryCommit;
  private final long storeMaxBytes;
  private final Duration idempotencyKeep;
  private final String redisUrl;
  private final String redisPrefix;
  private final int historySize;
  private final int replaySize;
  private final int recentSize;
  private final int recentBytes;
  private final Duration heartbeat;
  private final int retryMillis;
  private final int messageMaxLength;
  private final int streamMaxPending;
  private final int streamMaxPendingBytes;
  private final Duration streamCloseGrace;
  private final int bodyLimitBytes;
  private final List<String> corsOrigins;
  private final Map<String, String> tokens;
  private final boolean anonymousPosts;
  private final int postsPerSecond;
  private final int postsBurst;
  private final int streamsPerClient;
  private final int streamsPerNode;
  private final int streamOpensPerSecond;
  private final int streamOpensBurst;
  private final Duration roomIdle;
  private final List<String> trustedProxies;
  private final String trustedProxiesHeader;

  private ParleyConfig(Config config) {
    this.store = oneOf("parley.store", text(config, "parley.store"), "embedded", "redis");
    this.dataDir = Path.of(text(config, "parley.data-dir"));
    this.storeMaxBytes = config.getValue("parley.store.max-bytes", Long.class);
    if (storeMaxBytes < 0) {
      throw new IllegalArgumentException(
          "parley.store.max-bytes must be 0 (no bound) or more, not " + storeMaxBytes);
    }
    this.syncEveryCommit =
        oneOf("parley.store.sync", text(config, "parley.store.sync"), "commit", "os")
            .equals("commit");
    this.redisUrl = text(config, "parley.redis.url");
    this.redisPrefix = text(config, "parley.redis.prefix");
    this.historySize = number(config, "parley.history.size", 1);
    this.replaySize = number(config, "parley.replay.size", 0);
    this.recentSize = number(config, "parley.room.recent-size", 0);
    this.recentBytes = number(config, "parley.room.recent-bytes", 0);
    this.heartbeat = Duration.ofSeconds(number(config, "parley.heartbeat.seconds", 1));
    this.retryMillis = number(config, "parley.retry.millis", 0);
    this.messageMaxLength = number(config, "parley.message.max-length", 1);
    this.streamMaxPending = number(config, "parley.stream.max-pending", 16);
    this.streamMaxPendingBytes = number(config, "parley.stream.max-pending-bytes", 16 * 1024);
    this.streamCloseGrace =
        Duration.ofSeconds(number(config, "parley.stream.close-grace-seconds", 1));
    this.bodyLimitBytes = number(config, "parley.limit.body-bytes", 256);
    this.idempotencyKeep = Duration.ofSeconds(number(config, "parley.idempotency.seconds", 1));
    this.corsOrigins = list(config, "parley.cors.origins");
    this.tokens = tokens(list(config, "parley.tokens"));
    this.anonymousPosts = config.getValue("parley.post.anonymous", Boolean.class);
    this.postsPerSecond = number(config, "parley.limit.posts-per-second", 1);
    this.postsBurst = number(config, "parley.limit.posts-burst", 1);
    this.streamsPerClient = number(config, "parley.limit.streams-per-client", 1);
    this.streamsPerNode = number(config, "parley.limit.streams-per-node", 1);
    this.streamOpensPerSecond = number(config, "parley.limit.stream-opens-per-second", 1);
    this.streamOpensBurst = number(config, "parley.limit.stream-opens-burst", 1);
    this.roomIdle = Duration.ofSeconds(number(config, "parley.room.idle-seconds", 1));
    this.trustedProxies = list(config, "parley.trusted-proxies");
    this.trustedProxiesHeader =
        oneOf(
            "parley.trusted-proxies.header",
            text(config, "parley.trusted-proxies.header"),
            "X-Forwarded-For",
            "Forwarded");
  }

  /**
   * Reads and checks every setting; a wrong one stops the application with a message naming the
   * key.
   */
  public static ParleyConfig from(Config config) {
    return new ParleyConfig(config);
  }

  /** Gives CDI this application's settings, read once. */
  @Dependent
  static class Producer {

    @Produces
    @Singleton
    ParleyConfig current() {
      return from(ConfigProvider.getConfig());
    }
  }

  public String store() {
    return store;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Whether the embedded store acknowledges a post only once its commit is synced to the device
   * ({@code parley.store.sync=commit}), not once the operating system has it ({@code os}).
   */
  public boolean syncEveryCommit() {
    return syncEveryCommit;
  }

  public int streamOpensPerSecond() {
    return streamOpensPerSecond;
  }

  public int streamOpensBurst() {
    return streamOpensBurst;
  }

  /** How long a room with no open stream on a node stays in the node's memory (and followed). */
  public Duration roomIdle() {
    return roomIdle;
  }

  /** Bytes of messages the embedded store keeps at most (0: no bound but the disk). */
  public long storeMaxBytes() {
    return storeMaxBytes;
  }

  /** How long a poster's {@code Idempotency-Key} is remembered. */
  public Duration idempotencyKeep() {
    return idempotencyKeep;
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

  /**
   * The newest messages of each room a node holds that it keeps in memory, so that streams are
   * caught up without reading the store (0: none); never more than the history.
   */
  public int recentSize() {
    return Math.min(recentSize, historySize);
  }

  /** Bytes of message text (UTF-16) each room's in-memory messages take at most. */
  public int recentBytes() {
    return recentBytes;
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

  /** Bytes a stream may have waiting, catch-up included, before it is cut off as too slow. */
  public int streamMaxPendingBytes() {
    return streamMaxPendingBytes;
  }

  /**
   * How long the connection of a stream the server ended may stay open while its client takes
   * nothing.
   */
  public Duration streamCloseGrace() {
    return streamCloseGrace;
  }

  /** The largest request body accepted, in bytes. */
  public int bodyLimitBytes() {
    return bodyLimitBytes;
  }

  /**
   * Origins other than the page's own that may call the API from a browser; {@code *} allows any.
   */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /** Integration tokens, name to secret. Never logged. */
  public Map<String, String> tokens() {
    return tokens;
  }

  /** Whether a post without a token is accepted. */
  public boolean anonymousPosts() {
    return anonymousPosts;
  }

  public int postsPerSecond() {
    return postsPerSecond;
  }

  public int postsBurst() {
    return postsBurst;
  }

  public int streamsPerClient() {
    return streamsPerClient;
  }

  public int streamsPerNode() {
    return streamsPerNode;
  }

  /** Addresses of proxies whose {@code X-Forwarded-For} names the real client. */
  public List<String> trustedProxies() {
    return trustedProxies;
  }

  /**
   * The header the trusted proxies write the client's address into: {@code X-Forwarded-For} or
   * {@code Forwarded}.
   */
  public String trustedProxiesHeader() {
    return trustedProxiesHeader;
  }

  private static String text(Config config, String key) {
    return config.getValue(key, String.class);
  }

  private static int number(Config config, String key, int min) {
    int value = config.getValue(key, Integer.class);
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
    }
    return value;
  }

  private static List<String> list(Config config, String key) {
    return config.getOptionalValue(key, String.class).stream()
        .flatMap(text -> Arrays.stream(text.split(",")))
        .map(String::strip)
        .filter(item -> !item.isEmpty())
        .toList();
  }

  private static Map<String, String> tokens(List<String> pairs) {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String pair : pairs) {
      int colon = pair.indexOf(':');
      String name = colon < 0 ? "" : pair.substring(0, colon).strip();
      String secret = colon < 0 ? "" : pair.substring(colon + 1).strip();
      if (name.isEmpty() || secret.isEmpty()) {
        // The pair itself may hold a secret: name only its position.
        throw new IllegalArgumentException(
            "parley.tokens: entry " + (tokens.size() + 1) + " is not of the form name:secret");
      }
      if (tokens.putIfAbsent(name, secret) != null) {
        throw new IllegalArgumentException("parley.tokens: the name " + name + " is given twice");
      }
    }
    return Map.copyOf(tokens);
  }

  private static String oneOf(String key, String value, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        key + " must be one of " + String.join(", ", allowed) + ", not " + value);
  }
}
