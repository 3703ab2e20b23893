package io.parley.it;

import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.parley.Await;
import io.parley.Required;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Redis for the cluster tests (and the Redis store's own): the machine's (127.0.0.1:6379) with keys
 * under a prefix of the test run's own, deleted afterwards; or a private redis-server process on a
 * free port, for tests that stop and start it. Without Redis these tests skip loudly, except under
 * {@code CI=true}.
 */
public final class RedisForTests {

  public static final String URL = "redis://127.0.0.1:6379";

  private RedisForTests() {}

  /** A key prefix no other run uses. */
  public static String freshPrefix() {
    return "parley-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  public static void requireRedis() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), 6379)) {
      if (socket.isConnected()) {
        return;
      }
    } catch (IOException e) {
      Required.missing("the Redis tests", "Redis on 127.0.0.1:6379 is needed (" + e + ")");
    }
  }

  /** The members of a set on the machine's Redis. */
  public static java.util.Set<String> members(String key) {
    RedisClient client = RedisClient.create(URL);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection.sync().smembers(key);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Deletes every key under the prefix. */
  public static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(URL);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      ScanIterator<String> keys =
          ScanIterator.scan(
              connection.sync(), KeyScanArgs.Builder.matches(prefix + "*").limit(500));
      while (keys.hasNext()) {
        connection.sync().del(keys.next());
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** A redis-server of the test's own, keeping nothing on disk; stop and start it at will. */
  /** A redis-server of a test's own, on a port it picks (started by {@link #start}). */
  public static final class Private implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> extra;
    private Process process;

    public Private() {
      this(List.of());
    }

    /**
     * With more of redis-server's options, e.g. {@code --replicaof}. DEBUG is allowed from
     * loopback.
     */
    Private(List<String> extra) {
      this.extra = List.copyOf(extra);
      port = Ports.free();
      try {
        dir = Files.createTempDirectory("parley-redis-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public Private start() {
      try {
        process =
            new ProcessBuilder(command())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Await.until(
          "redis-server on port " + port,
          Duration.ofSeconds(20),
          () -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
              return socket.isConnected();
            } catch (IOException e) {
              return false;
            }
          });
      return this;
    }

    int port() {
      return port;
    }

    private List<String> command() {
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString(),
                  "--enable-debug-command",
                  "local"));
      command.addAll(extra);
      return command;
    }

    /** Runs commands on this server, on a connection of their own (a command may take long). */
    <T> T call(
        java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T>
            commands) {
      RedisClient client = RedisClient.create(url());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        connection.setTimeout(Duration.ofSeconds(30));
        return commands.apply(connection.sync());
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }

    /** {@code DEBUG SLEEP}: the server answers nothing for that many seconds. */
    void debugSleep(String seconds) {
      call(
          c ->
              c.dispatch(
                  io.lettuce.core.protocol.CommandType.DEBUG,
                  new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                  new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                      .add("SLEEP")
                      .add(seconds)));
    }

    void stop() {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      if (process != null && process.isAlive()) {
        stop();
      }
    }
  }

  /**
   * A Redis Sentinel of the test's own (Debian's redis-sentinel, which is redis-server in sentinel
   * mode), watching one master as {@value #MASTER} and failing over a second after it stops
   * answering; a quorum of one, as there is one sentinel.
   */
  static final class Sentinel implements AutoCloseable {

    static final String MASTER = "parley";

    private final Private master;
    private final int port;
    private final Path dir;
    private Process process;

    Sentinel(Private master) {
      this.master = master;
      port = Ports.free();
      try {
        dir = Files.createTempDirectory("parley-sentinel-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * What a node is configured with: Lettuce asks the sentinel for the master, and again after a
     * failover.
     */
    String url() {
      return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER;
    }

    Sentinel start() {
      Path config = dir.resolve("sentinel.conf");
      try {
        Files.writeString(
            config,
            String.join(
                "\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER + " 1000",
                "sentinel failover-timeout " + MASTER + " 10000",
                ""));
        process =
            new ProcessBuilder(List.of("redis-server", config.toString(), "--sentinel"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel.log").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Await.until(
          "redis-sentinel on port " + port, Duration.ofSeconds(20), () -> !masterPort().isEmpty());
      return this;
    }

    /** The port the sentinel names for the master now, or empty while it cannot say. */
    String masterPort() {
      RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
      try (var connection = client.connectSentinel()) {
        var address = connection.sync().getMasterAddrByName(MASTER);
        return address instanceof java.net.InetSocketAddress inet
            ? Integer.toString(inet.getPort())
            : "";
      } catch (RuntimeException e) {
        return "";
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }

    @Override
    public void close() {
      if (process != null) {
        process.destroyForcibly();
        try {
          process.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
