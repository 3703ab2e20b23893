package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-compose stack's files, checked with the real tools (no Docker engine runs here):
 * {@code docker-compose config} for docker-compose.yml, {@code nginx -t} for the load balancer's
 * configuration. Without the tools these checks skip loudly, except under {@code CI=true}.
 */
class StackFilesTest {

  @Test
  void composeFileIsValidAndHasTheWholeStack() throws Exception {
    requireTool("/usr/bin/docker-compose", "docker-compose");
    Result config = run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"));
    assertEquals(0, config.exit(), config.output());
    Result services =
        run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "--services"));
    assertEquals(0, services.exit(), services.output());
    Set<String> names =
        services
            .output()
            .lines()
            .map(String::strip)
            .filter(line -> !line.isEmpty())
            .collect(Collectors.toSet());
    assertEquals(Set.of("redis", "tomcat-1", "tomcat-2", "payara", "nginx"), names);
  }

  @Test
  void nginxConfigurationIsValid(@TempDir Path prefix) throws Exception {
    requireTool("/usr/sbin/nginx", "nginx-light");
    // The node names resolve only inside the compose network: check the rest with loopback.
    String site =
        Files.readString(Path.of("nginx/parley.conf"))
            .replaceAll("server [a-z0-9-]+:8080", "server 127.0.0.1:8080");
    Files.createDirectories(prefix.resolve("logs"));
    Path conf = prefix.resolve("nginx.conf");
    Files.writeString(
        conf,
        "pid "
            + prefix.resolve("nginx.pid")
            + ";\nerror_log "
            + prefix.resolve("logs/error.log")
            + ";\n"
            + "events {}\nhttp {\naccess_log off;\n"
            + site
            + "\n}\n");
    Result test =
        run(List.of("/usr/sbin/nginx", "-t", "-p", prefix.toString(), "-c", conf.toString()));
    assertEquals(0, test.exit(), test.output());
    assertTrue(test.output().contains("test is successful"), test.output());
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }

  private static void requireTool(String path, String debianPackage) {
    if (Files.isExecutable(Path.of(path))) {
      return;
    }
    String missing =
        path
            + " is needed to check the docker-compose stack (apt-get install -y --no-install-recommends "
            + debianPackage
            + ")";
    Required.missing("a check of the docker-compose stack", missing);
  }
}
