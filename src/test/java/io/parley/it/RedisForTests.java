package io.parley.it;

import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Redis for the cluster tests (and the Redis store's own): the machine's (127.0.0.1:6379) with keys under a prefix of the
 * test run's own, deleted afterwards; or a private redis-server process on a free port, for tests
 * that stop and start it. Without Redis these tests skip loudly, except under {@code CI=true}.
 */
public final class RedisForTests {

  public static final String URL = "redis://127.0.0.1:6379";

  private RedisForTests() {}

  /** A key prefix no other run uses. */
  public static String freshPrefix() {
    return "parley-it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  public static void requireRedis() {
    try (Socket socket = new Socket("127.0.0.1", 6379)) {
      return;
    } catch (IOException e) {
      String missing = "Redis on 127.0.0.1:6379 is needed for the Redis tests";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(missing + "; with CI=true they must run", e);
      }
      System.err.println("\n*** SKIPPING the Redis tests: " + missing + " ***\n");
      Assumptions.abort(missing);
    }
  }

  /** Deletes every key under the prefix. */
  public static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(URL);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      ScanIterator<String> keys = ScanIterator.scan(connection.sync(), KeyScanArgs.Builder.matches(prefix + "*").limit(500));
      while (keys.hasNext()) {
        connection.sync().del(keys.next());
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** A redis-server of the test's own, keeping nothing on disk; stop and start it at will. */
  static final class Private implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    Private() {
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
        dir = Files.createTempDirectory("parley-redis-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String url() {
      return "redis://127.0.0.1:" + port;
    }

    Private start() {
      try {
        process =
            new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Await.until("redis-server on port " + port, Duration.ofSeconds(20), () -> {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          return true;
        } catch (IOException e) {
          return false;
        }
      });
      return this;
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
}
