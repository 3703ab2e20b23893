package io.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for what the tests start (servers, Redis, nginx, a client's own port).
 *
 * <p>A port is taken below the kernel's ephemeral range, so no outgoing connection can take it
 * between the pick and the bind: the suite opens thousands of connections, and a port asked of the
 * kernel ({@code new ServerSocket(0)}) comes from that range. Payara Micro that cannot bind logs
 * "Address already in use" and never exits, so such a race cost a start's whole timeout.
 */
final class Ports {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;
  private static final int DEFAULT_EPHEMERAL_START = 32_768;

  private Ports() {}

  /** A port nothing listens on now, outside the ephemeral range when the machine leaves room. */
  static int free() {
    return freeBesides(-1);
  }

  /** A free port other than {@code picked}, which was picked but may not be bound yet. */
  static int freeBesides(int picked) {
    int port;
    do {
      port = pick();
    } while (port == picked);
    return port;
  }

  private static int pick() {
    int high = ephemeralStart();
    if (high - LOWEST < 1_000) {
      return anyFree();
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(LOWEST, high);
      if (bindable(port)) {
        return port;
      }
    }
    return anyFree();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  private static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first port of the kernel's ephemeral range (Linux's default where it cannot be read). */
  static int ephemeralStart() {
    try {
      // readString reads a /proc file short (its size shows as 0); a line reader does not.
      List<String> lines = Files.readAllLines(EPHEMERAL_RANGE);
      return Integer.parseInt(lines.get(0).trim().split("\\s+", 2)[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
