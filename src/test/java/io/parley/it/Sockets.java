package io.parley.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** What the kernel's socket table says of a server's port: what the operating system sees. */
final class Sockets {

  private static final String ESTABLISHED = "01";
  private static final String CLOSE_WAIT = "08";

  /** One row of the table for the server's side of a connection. */
  private record Row(int clientPort, String state, long unsent) {}

  private Sockets() {}

  /** Skips the test where there is no Linux socket table to read. */
  static void assumeReadable() {
    Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc/net/tcp");
  }

  /** The server's side of established connections on {@code port} to the given client ports. */
  static long established(int port, Collection<Integer> clientPorts) {
    return rows(port).stream()
        .filter(row -> row.state().equals(ESTABLISHED) && clientPorts.contains(row.clientPort()))
        .count();
  }

  /** Connections on {@code port} whose peer closed while this side has not yet. */
  static long halfClosed(int port) {
    return rows(port).stream().filter(row -> row.state().equals(CLOSE_WAIT)).count();
  }

  /**
   * Bytes the kernel holds unsent (or unacknowledged) on the server's connections to those client
   * ports.
   */
  static long unsent(int port, Collection<Integer> clientPorts) {
    return rows(port).stream()
        .filter(row -> clientPorts.contains(row.clientPort()))
        .mapToLong(Row::unsent)
        .sum();
  }

  /**
   * Rows whose local port is {@code port}: {@code sl local remote st tx_queue:rx_queue …}, in hex.
   */
  private static List<Row> rows(int port) {
    String local = String.format(":%04X", port);
    List<Row> rows = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file));
      } catch (IOException e) {
        continue; // no IPv6 table: nothing there
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+", -1);
        if (fields[1].endsWith(local)) {
          String remote = fields[2];
          String queues = fields[4];
          rows.add(
              new Row(
                  Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16),
                  fields[3],
                  Long.parseLong(queues.substring(0, queues.indexOf(':')), 16)));
        }
      }
    }
    return rows;
  }
}
