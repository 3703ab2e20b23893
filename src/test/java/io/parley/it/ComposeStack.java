package io.parley.it;

import io.parley.Await;
import io.parley.Required;
import io.parley.core.Repeating;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The repo's docker-compose.yml, run for real on this machine's Podman: images built from {@code
 * docker/} on a local Debian base (made once with debootstrap and kept), the file driven by {@code
 * docker-compose} through Podman's Docker-compatible API, nginx published on a loopback port of its
 * own. Podman leaves running health checks to systemd timers, which these machines lack: while the
 * stack comes up, this class runs each container's health check every two seconds instead, so
 * {@code depends_on: condition: service_healthy} holds as under Docker.
 *
 * <p>Podman's settings (TOOLCHAIN.md, "Containers"): {@code runc}, cgroupfs, no default ulimits.
 */
final class ComposeStack implements AutoCloseable {

  /** The local base every image is built on (the public default is debian:bookworm-slim). */
  static final String BASE_IMAGE = "localhost/debian:bookworm";

  private static final Duration UP = Duration.ofMinutes(6);
  private static final Path WORK = Path.of("target", "podman");

  private final String project;
  private final int port;
  private final Map<String, String> environment = new HashMap<>();
  private final Process service;

  private ComposeStack(String project, int port, Map<String, String> settings, Process service) {
    this.project = project;
    this.port = port;
    this.service = service;
    environment.put("CONTAINERS_CONF", containersConf());
    environment.put("DOCKER_HOST", "unix://" + socket().toAbsolutePath());
    environment.put("PARLEY_BASE_IMAGE", BASE_IMAGE);
    environment.put("PARLEY_HTTP_ADDRESS", "127.0.0.1");
    environment.put("PARLEY_HTTP_PORT", Integer.toString(port));
    environment.putAll(settings);
  }

  /** Skips loudly (fails under CI=true) without what runs the stack. */
  static void requireTools() {
    for (String tool :
        List.of(
            "/usr/bin/podman",
            "/usr/sbin/runc",
            "/usr/bin/docker-compose",
            "/usr/sbin/debootstrap")) {
      if (!Files.isExecutable(Path.of(tool))) {
        Required.missing(
            "the compose stack's test",
            tool
                + " is missing (apt-get install -y --no-install-recommends podman runc"
                + " docker-compose debootstrap golang-github-containernetworking-plugin-dnsname)");
      }
    }
  }

  /**
   * Builds the images (cached by Podman between runs), brings the stack up under its own project
   * name and waits until nginx, the last to start, is healthy.
   *
   * @param settings what the compose file reads from where it runs (PARLEY_TOKENS, say)
   */
  static ComposeStack up(Map<String, String> settings) throws Exception {
    Files.createDirectories(WORK);
    Files.writeString(
        WORK.resolve("containers.conf"),
        """
        [containers]
        default_ulimits = []
        [engine]
        cgroup_manager = "cgroupfs"
        runtime = "runc"
        """);
    Files.deleteIfExists(socket());
    ProcessBuilder serve =
        new ProcessBuilder(
                "podman", "system", "service", "--time=0", "unix://" + socket().toAbsolutePath())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("service.log").toFile());
    serve.environment().put("CONTAINERS_CONF", containersConf());
    ComposeStack stack =
        new ComposeStack(
            "parley-it-" + java.util.UUID.randomUUID().toString().substring(0, 6),
            Ports.free(),
            settings,
            serve.start());
    try {
      Await.until("Podman's API socket", Duration.ofSeconds(30), () -> Files.exists(socket()));
      stack.ensureBaseImage();
      stack.compose(Duration.ofMinutes(10), "build");
      stack.upWithHealthChecks();
    } catch (Exception | AssertionError e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  private static String containersConf() {
    return WORK.resolve("containers.conf").toAbsolutePath().toString();
  }

  private static Path socket() {
    return WORK.resolve("podman.sock");
  }

  /** Where nginx answers, on loopback. */
  java.net.URI uri() {
    return java.net.URI.create("http://127.0.0.1:" + port + "/");
  }

  String project() {
    return project;
  }

  /** A service's container: docker-compose names it project_service_1. */
  String container(String service) {
    return project + "_" + service + "_1";
  }

  /** Runs a podman command; fails unless it exits 0. @returns what it printed */
  String podman(String... arguments) {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(arguments));
    return run(command, Duration.ofMinutes(2));
  }

  /** Runs docker-compose on the repo's file, as this stack's project; fails unless it exits 0. */
  String compose(Duration timeout, String... arguments) {
    List<String> command =
        new ArrayList<>(List.of("docker-compose", "-p", project, "-f", "docker-compose.yml"));
    command.addAll(List.of(arguments));
    return run(command, timeout);
  }

  /**
   * {@code up -d}, with each container's health check run every two seconds meanwhile (the period
   * of the timer systemd would run).
   */
  private void upWithHealthChecks() throws InterruptedException {
    ScheduledExecutorService checks = Repeating.daemon("health-checks-" + project);
    Repeating.every(
        checks,
        2_000,
        "Running the stack's health checks",
        () -> {
          try {
            for (String name : containers(false)) {
              runQuietly(List.of("podman", "healthcheck", "run", name));
            }
          } catch (AssertionError podmanFailed) {
            // the next round tries again
          }
        });
    try {
      compose(UP, "up", "-d");
    } finally {
      checks.shutdownNow();
      checks.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private void ensureBaseImage() throws IOException {
    if (runQuietly(List.of("podman", "image", "exists", BASE_IMAGE)) == 0) {
      return;
    }
    Path root = Files.createTempDirectory("parley-debian-");
    try {
      run(
          List.of("debootstrap", "--variant=minbase", "bookworm", root.toString(), debianMirror()),
          Duration.ofMinutes(10));
      run(
          List.of(
              "sh", "-c", "tar -C \"$0\" -c . | podman import - " + BASE_IMAGE, root.toString()),
          Duration.ofMinutes(5));
    } finally {
      run(List.of("rm", "-rf", root.toString()), Duration.ofMinutes(2));
    }
  }

  /** The Debian mirror apt uses here (debootstrap takes the base from it). */
  private static String debianMirror() throws IOException {
    Path sources = Path.of("/etc/apt/sources.list.d/debian.sources");
    if (Files.isRegularFile(sources)) {
      for (String line : Files.readAllLines(sources)) {
        if (line.startsWith("URIs:") && !line.contains("security")) {
          return line.substring("URIs:".length()).strip().split("\\s+", -1)[0];
        }
      }
    }
    return "http://deb.debian.org/debian";
  }

  /**
   * Takes the stack down with its volumes; fails if any of its containers, networks or volumes
   * stays.
   */
  @Override
  public void close() {
    try {
      compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans");
    } finally {
      service.destroy();
      try {
        service.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What of this stack Podman still has: containers, networks and volumes by name. */
  List<String> leftovers() {
    List<String> left = new ArrayList<>();
    left.addAll(containers(true));
    left.addAll(
        lines(podman("network", "ls", "--format", "{{.Name}}")).stream()
            .filter(n -> n.startsWith(project))
            .toList());
    left.addAll(
        lines(podman("volume", "ls", "--format", "{{.Name}}")).stream()
            .filter(n -> n.startsWith(project))
            .toList());
    return left;
  }

  /** The names of this stack's containers: running ones, or {@code all}. */
  private List<String> containers(boolean all) {
    List<String> command = new ArrayList<>(List.of("ps"));
    if (all) {
      command.add("-a");
    }
    command.addAll(
        List.of(
            "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}"));
    return lines(podman(command.toArray(String[]::new)));
  }

  private static List<String> lines(String output) {
    return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
  }

  private String run(List<String> command, Duration timeout) {
    try {
      Path log = Files.createTempFile(WORK, "command-", ".log");
      try {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError(command + " took more than " + timeout + ":\n" + tail(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
          throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + tail(log));
        }
        return output;
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private int runQuietly(List<String> command) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
  }
}
