package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that trickle their request (slowloris): headers that never end, bodies that never come.
 * More of them than the container has threads, and the server still answers everyone else at once.
 */
@ExtendWith(SharedServer.class)
class SlowRequestsIT {

  private static final int SLOW_BODIES = 250;
  private static final int SLOW_HEADERS = 50;

  private final ParleyServer server;
  private final Api api;

  SlowRequestsIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void tricklingClientsTieUpNothing() throws IOException {
    String room = Api.freshRoom("slowloris");
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < SLOW_BODIES; i++) {
        slow.add(
            send(
                "POST /api/rooms/"
                    + room
                    + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"author\":\"slow\",\"te"));
      }
      for (int i = 0; i < SLOW_HEADERS; i++) {
        slow.add(send("GET /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: "));
      }
      // One more byte on each, as a trickler sends them: the requests stay under way.
      for (Socket socket : slow) {
        socket.getOutputStream().write('x');
      }
      Await.until(
          "the server reading " + SLOW_BODIES + " bodies",
          Duration.ofSeconds(20),
          () -> Metrics.scrape(api).value("parley_request_bodies_reading") >= SLOW_BODIES);
      for (int i = 0; i < 5; i++) {
        long start = System.nanoTime();
        HttpResponse<String> live = api.get("api/health/live");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(200, live.statusCode());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "health answered after " + took);
      }
      assertEquals(
          201,
          api.postJson(
                  "api/rooms/" + room + "/messages",
                  "{\"author\":\"quick\",\"text\":\"not held up\"}")
              .statusCode());
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    // A container that does not tell a read listener of a closed connection (Payara 6) gives the
    // body up when the body's 30 s are over.
    Await.until(
        "the bodies given up",
        Duration.ofSeconds(45),
        () -> Metrics.scrape(api).value("parley_request_bodies_reading") == 0);
  }

  /**
   * A body that comes after its headers is read without a thread and the request dispatched again:
   * that answer is the same as one to a body that came at once, the security headers included.
   */
  @Test
  void aBodyThatComesLateGetsTheSameAnswer() throws IOException {
    String room = Api.freshRoom("late-body");
    String body = "{\"author\":\"late\",\"text\":\"came after its headers\"}";
    try (Socket socket =
        send(
            "POST /api/rooms/"
                + room
                + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body.substring(0, 10))) {
      Await.until(
          "the server reading the body",
          Duration.ofSeconds(10),
          () -> Metrics.scrape(api).value("parley_request_bodies_reading") >= 1);
      socket.getOutputStream().write(body.substring(10).getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(10_000);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
      String head =
          answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
      assertTrue(head.contains("\r\nx-frame-options: deny"), head);
      assertTrue(head.contains("\r\ncontent-security-policy: "), head);
    }
    assertTrue(
        api.history(room, "").stream()
            .anyMatch(message -> message.text().equals("came after its headers")));
  }

  private Socket send(String bytes) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}
