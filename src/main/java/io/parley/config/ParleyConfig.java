package io.parley.config;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
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
  private final ModerationConfig moderation;
  private final int typingPerSecond;
  private final int typingBurst;
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
  private final SignInConfig signIn;

  private ParleyConfig(Config config) {
    Settings settings = new Settings(config);
    this.store = settings.oneOf("parley.store", "embedded", "redis");
    this.dataDir = Path.of(settings.text("parley.data-dir"));
    this.storeMaxBytes = settings.longAtLeast("parley.store.max-bytes", 0);
    this.syncEveryCommit = settings.oneOf("parley.store.sync", "commit", "os").equals("commit");
    this.redisUrl = settings.text("parley.redis.url");
    this.redisPrefix = settings.text("parley.redis.prefix");
    this.historySize = settings.atLeast("parley.history.size", 1);
    this.replaySize = settings.atLeast("parley.replay.size", 0);
    this.recentSize = settings.atLeast("parley.room.recent-size", 0);
    this.recentBytes = settings.atLeast("parley.room.recent-bytes", 0);
    this.heartbeat = Duration.ofSeconds(settings.atLeast("parley.heartbeat.seconds", 1));
    this.retryMillis = settings.atLeast("parley.retry.millis", 0);
    this.messageMaxLength = settings.atLeast("parley.message.max-length", 1);
    this.streamMaxPending = settings.atLeast("parley.stream.max-pending", 16);
    this.streamMaxPendingBytes = settings.atLeast("parley.stream.max-pending-bytes", 16 * 1024);
    this.streamCloseGrace =
        Duration.ofSeconds(settings.atLeast("parley.stream.close-grace-seconds", 1));
    this.bodyLimitBytes = settings.atLeast("parley.limit.body-bytes", 256);
    this.idempotencyKeep = Duration.ofSeconds(settings.atLeast("parley.idempotency.seconds", 1));
    this.corsOrigins = settings.list("parley.cors.origins");
    this.tokens = settings.pairs("parley.tokens");
    this.anonymousPosts = settings.flag("parley.post.anonymous");
    this.postsPerSecond = settings.atLeast("parley.limit.posts-per-second", 1);
    this.postsBurst = settings.atLeast("parley.limit.posts-burst", 1);
    this.streamsPerClient = settings.atLeast("parley.limit.streams-per-client", 1);
    this.streamsPerNode = settings.atLeast("parley.limit.streams-per-node", 1);
    this.streamOpensPerSecond = settings.atLeast("parley.limit.stream-opens-per-second", 1);
    this.streamOpensBurst = settings.atLeast("parley.limit.stream-opens-burst", 1);
    this.roomIdle = Duration.ofSeconds(settings.atLeast("parley.room.idle-seconds", 1));
    this.trustedProxies = settings.list("parley.trusted-proxies");
    this.trustedProxiesHeader =
        settings.oneOf("parley.trusted-proxies.header", "X-Forwarded-For", "Forwarded");
    this.signIn = SignInConfig.read(settings, tokens);
    this.moderation = ModerationConfig.read(settings, tokens);
    this.typingPerSecond = settings.atLeast("parley.limit.typing-per-second", 1);
    this.typingBurst = settings.atLeast("parley.limit.typing-burst", 1);
  }

  /** Typing signals per client and second, after {@link #typingBurst}. */
  public int typingPerSecond() {
    return typingPerSecond;
  }

  public int typingBurst() {
    return typingBurst;
  }

  /** Moderators, their JWT role and the edit window. */
  public ModerationConfig moderation() {
    return moderation;
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

  /** Sessions, sign-in with an identity provider, and what limits them. */
  public SignInConfig signIn() {
    return signIn;
  }
}
