package io.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Parley WAR on a real Tomcat, in a process of its own: a fresh CATALINA_BASE under
 * {@code target/it}, the Tomcat that Maven unpacked as CATALINA_HOME, a free port, and settings
 * passed as system properties. It can be stopped, killed with SIGKILL and started again on the
 * same data folder.
 */
final class ParleyServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path home = Path.of(required("parley.it.tomcat.home"));
  private final Path war = Path.of(required("parley.it.war"));
  private final Path base;
  private final Path dataDir;
  private final Map<String, String> settings;
  private Process process;
  private int port;

  ParleyServer(String name, Map<String, String> settings) {
    Path work = Path.of(required("parley.it.work"));
    this.base = work.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    this.dataDir = base.resolve("data");
    this.settings = Map.copyOf(settings);
  }

  /** Starts Tomcat and returns once the application answers ready; a restart keeps the port. */
  ParleyServer start() {
    try {
      if (port == 0) {
        port = freePort();
      }
      prepareBase();
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.add("-Dcatalina.home=" + home);
      command.add("-Dcatalina.base=" + base);
      command.add("-Djava.io.tmpdir=" + base.resolve("temp"));
      command.add("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager");
      command.add("-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"));
      command.add("-Dparley.data-dir=" + dataDir);
      settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.add("-cp");
      command.add(home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"));
      command.add("org.apache.catalina.startup.Bootstrap");
      command.add("start");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile()))
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

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: Tomcat stops the application cleanly. */
  void stop() {
    process.destroy();
    awaitExit();
  }

  /** Deletes the embedded store's files, as a lost disk does; only while the server is stopped. */
  void wipeData() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("stop the server before wiping its data");
    }
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
        HttpRequest.newBuilder(uri().resolve("api/health/ready")).timeout(Duration.ofSeconds(5)).build();
    Await.until("Parley on Tomcat at " + uri() + " to be ready (log: " + base.resolve("logs") + ")", START_TIMEOUT, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("Tomcat exited with " + process.exitValue() + "; see " + base.resolve("logs"));
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

  private void prepareBase() throws IOException {
    for (String dir : List.of("conf", "logs", "temp", "work", "webapps")) {
      Files.createDirectories(base.resolve(dir));
    }
    for (String file : List.of("web.xml", "catalina.properties", "logging.properties", "context.xml")) {
      Files.copy(home.resolve("conf").resolve(file), base.resolve("conf").resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    // Connects and disconnects of streams show in the server's log (target/it/*/logs).
    Files.writeString(base.resolve("conf/logging.properties"), "\nio.parley.level = FINE\n", StandardOpenOption.APPEND);
    String serverXml;
    try (var in = ParleyServer.class.getResourceAsStream("/it/server.xml")) {
      serverXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(base.resolve("conf/server.xml"), serverXml.replace("@PORT@", Integer.toString(port)));
    Path root = base.resolve("webapps/ROOT.war");
    if (!Files.exists(root)) {
      Files.copy(war, root);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(property + " is not set: run the integration tests with ./mvnw verify");
    }
    return value;
  }
}
