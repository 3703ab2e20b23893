package io.parley.it;

import io.parley.Await;
import io.parley.Required;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Parley WAR on a real server (Tomcat 10.1, Tomcat 11 or Payara Micro: see {@link Container}),
 * in a process of its own: a fresh instance folder under {@code target/it}, a free port, and
 * settings passed as system properties. It can be stopped, killed with SIGKILL and started again on
 * the same port and data folder.
 */
final class ParleyServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /**
   * Every test client comes from 127.0.0.1, so the per-client limits are lifted unless a test sets
   * them itself (the limit tests do).
   */
  private static final Map<String, String> NO_CLIENT_LIMITS =
      Map.of(
          "parley.limit.posts-per-second", "1000000",
          "parley.limit.posts-burst", "1000000",
          "parley.limit.streams-per-client", "1000000",
          "parley.limit.stream-opens-per-second", "1000000",
          "parley.limit.stream-opens-burst", "1000000",
          "parley.limit.sign-ins-per-second", "1000000",
          "parley.limit.sign-ins-burst", "1000000");

  private final Container container = Container.fromSystemProperties();
  private final Path war = Path.of(Container.required("parley.it.war"));
  private final Path base;
  private final Path dataDir;
  private final Map<String, String> settings;
  private final boolean stockSettings;
  private Process process;
  private int port;
  private int tlsPort;

  ParleyServer(String name, Map<String, String> settings) {
    this(name, settings, false);
  }

  /**
   * A server whose container keeps its stock connector settings rather than those in
   * docs/deploying.md.
   */
  ParleyServer(String name, Map<String, String> settings, boolean stockSettings) {
    this.stockSettings = stockSettings;
    Path work = Path.of(Container.required("parley.it.work"));
    this.base = work.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    this.dataDir = base.resolve("data");
    Map<String, String> all = new HashMap<>(NO_CLIENT_LIMITS);
    all.putAll(settings);
    this.settings = Map.copyOf(all);
  }

  /** Starts the server and returns once the application answers ready; a restart keeps the port. */
  ParleyServer start() {
    try {
      if (port == 0) {
        port = Ports.free();
        tlsPort = Ports.freeBesides(port);
      }
      Files.createDirectories(base.resolve("temp"));
      Container.Instance instance = new Container.Instance(base, port, tlsPort, war, stockSettings);
      container.prepare(instance);
      List<String> command = new ArrayList<>();
      command.add(java().toString());
      command.add("-Xmx512m");
      command.add("-Djava.io.tmpdir=" + base.resolve("temp"));
      command.add("-Dparley.data-dir=" + dataDir);
      settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.addAll(container.launch(instance));
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile()))
              .start();
      awaitReady();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  int port() {
    return port;
  }

  /**
   * The same server over TLS (HTTP/1.1 or HTTP/2 by ALPN), with the test's self-signed certificate.
   */
  URI tlsUri() {
    return URI.create("https://127.0.0.1:" + tlsPort + "/");
  }

  /** The server's process id, for the JDK's tools. */
  long pid() {
    return process.pid();
  }

  /** Which container this is, for what tests expect of it. */
  Container container() {
    return container;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /**
   * SIGSTOP: the whole process stands still (a long GC pause, a frozen VM) until {@link #resume()}.
   */
  void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM: the server stops the application cleanly. */
  void stop() {
    process.destroy();
    awaitExit();
  }

  /** Everything the server has logged so far, all log files together. */
  String logs() {
    try (var files = Files.walk(base.resolve("logs"))) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
      return all.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the server's threads, as the JDK's jcmd prints them, to a file in its logs folder, and
   * returns the file: what a failed test leaves to tell why the server did not answer.
   */
  Path dumpThreads() {
    Path dump = base.resolve("logs/threads-" + System.currentTimeMillis() + ".txt");
    try {
      Files.writeString(dump, jcmd("Thread.print"));
      return dump;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a jcmd command on the server's JVM, with the jcmd of the JDK that runs it, and returns
   * what it printed; fails unless it ends well within a minute.
   */
  String jcmd(String command) {
    Path jcmd = java().resolveSibling("jcmd");
    try {
      Process run =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
              .redirectErrorStream(true)
              .start();
      String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || run.exitValue() != 0) {
        run.destroyForcibly();
        throw new IllegalStateException("jcmd " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the server's process runs. */
  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Deletes the embedded store's files, as a lost disk does; only while the server is stopped. */
  void wipeData() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("stop the server before wiping its data");
    }
    Folders.delete(dataDir);
  }

  /** Copies the embedded store's files to {@code backup}; only while the server is stopped. */
  void backUpData(Path backup) {
    requireStopped();
    Folders.copy(dataDir, backup);
  }

  /**
   * Replaces the embedded store's files with a backup's, as an operator restoring it does; only
   * while stopped.
   */
  void restoreData(Path backup) {
    requireStopped();
    Folders.delete(dataDir);
    Folders.copy(backup, dataDir);
  }

  private void requireStopped() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("stop the server first");
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(uri().resolve("api/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      awaitAnswer(http, ready);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; the end of its console:\n" + consoleTail(), e);
    }
  }

  private void awaitAnswer(HttpClient http, HttpRequest ready) {
    Await.until(
        "Parley on "
            + container
            + " at "
            + uri()
            + " to be ready (log: "
            + base.resolve("logs")
            + ")",
        START_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                container
                    + " exited with "
                    + process.exitValue()
                    + "; see "
                    + base.resolve("logs"));
          }
          try {
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        });
  }

  private String consoleTail() {
    try {
      List<String> lines =
          Files.readAllLines(base.resolve("logs/console.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /**
   * The JVM that runs the server: the tests' own, or {@code parley.it.java} for a server that needs
   * a newer one (Payara 7). Without it the server's tests are skipped with a notice, except under
   * {@code CI=true}, where they fail.
   */
  private static Path java() {
    String given = System.getProperty("parley.it.java", "");
    if (given.isBlank()) {
      return Path.of(System.getProperty("java.home"), "bin", "java");
    }
    Path java = Path.of(given);
    if (!Files.isExecutable(java)) {
      Required.missing(
          "this server's tests",
          "no JVM at " + java + " (parley.it.java) to run this server; set -Dit.payara7.java");
    }
    return java;
  }
}
