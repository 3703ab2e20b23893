package io.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat page's scripts pass ESLint ({@code eslint.config.js}) and their unit tests ({@code
 * src/test/js}, node's test runner). Needs Node.js 18.18+ and npm; ESLint is installed from {@code
 * package-lock.json} into {@code node_modules} on the first run.
 */
class PageScriptsTest {

  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path ESLINT = PROJECT.resolve("node_modules/.bin/eslint");

  @BeforeAll
  static void installEslint() {
    if (!runs("node", "--version") || !runs("npm", "--version")) {
      Required.missing(
          "the page's script checks",
          "Node.js and npm are needed (sudo apt-get install -y nodejs npm)");
    }
    if (!Files.isExecutable(ESLINT)) {
      Result install = run("npm", "ci", "--no-audit", "--no-fund");
      assertEquals(0, install.exitCode(), () -> "npm ci failed:\n" + install.output());
    }
  }

  @Test
  void theScriptsPassTheLinter() {
    Result lint = run(ESLINT.toString(), "webapp/js", "src/test/js", "eslint.config.js");
    assertEquals(0, lint.exitCode(), () -> "ESLint found problems:\n" + lint.output());
  }

  @Test
  void theScriptsPassTheirUnitTests() {
    Result tests = run("node", "--test", "src/test/js/");
    assertEquals(0, tests.exitCode(), () -> "the page's unit tests failed:\n" + tests.output());
  }

  private record Result(int exitCode, String output) {}

  private static boolean runs(String... command) {
    try {
      return run(command).exitCode() == 0;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private static Result run(String... command) {
    try {
      Path output = Files.createTempFile("parley-page-scripts", ".log");
      try {
        Process process =
            new ProcessBuilder(List.of(command))
                .directory(PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError(String.join(" ", command) + " ran for over 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
      } finally {
        Files.delete(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
