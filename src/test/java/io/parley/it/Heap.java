package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A server's heap as the JVM sees it, by the JDK's jcmd. */
final class Heap {

  private Heap() {}

  /** The server's used heap after a full GC. */
  static long afterGc(ParleyServer server) {
    server.jcmd("GC.run");
    String info = server.jcmd("GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    assertTrue(used.find(), info);
    return Long.parseLong(used.group(1)) * 1024;
  }
}
