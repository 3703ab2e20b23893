package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's heap as the JVM sees it, by the JDK's jcmd. */
final class Heap {

  private Heap() {}

  /** The server's used heap after a full GC. */
  static long afterGc(ParleyServer server) {
    jcmd(server, "GC.run");
    String info = jcmd(server, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertTrue(used.find(), info);
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(ParleyServer server, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), command)
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, output);
      return output;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
