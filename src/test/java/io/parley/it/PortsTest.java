package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void aFreePortIsBelowTheEphemeralRangeAndCanBeBound() throws IOException {
    int ephemeralStart = Ports.ephemeralStart();
    for (int i = 0; i < 50; i++) {
      int port = Ports.free();
      assertTrue(port < ephemeralStart, port + " is in the ephemeral range from " + ephemeralStart);
      try (ServerSocket socket = new ServerSocket(port)) {
        assertTrue(socket.isBound());
      }
    }
  }

  @Test
  void aPortInUseIsNeverGiven() throws IOException {
    try (ServerSocket held = new ServerSocket(Ports.free())) {
      for (int i = 0; i < 2_000; i++) {
        assertTrue(Ports.free() != held.getLocalPort(), "gave the port in use");
      }
    }
  }
}
