package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stream the server ends loses its connection (HTTP/1.1) or its HTTP/2 stream within {@code
 * parley.stream.close-grace-seconds}, whatever the client does: here the clients never read again,
 * so nothing the server sends reaches them. The count is the kernel's (the server's established
 * connections to those clients), not Parley's.
 */
@ExtendWith(SharedServer.class)
class DisconnectIT {

  /** The default grace (the shared server's). */
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  /** The stock server's grace: far below Tomcat's stock write timeout. */
  private static final Duration SHORT_GRACE = Duration.ofSeconds(3);

  /**
   * Tomcat's stock write timeout (its connectionTimeout). A dropped stream's connection closes when
   * its request times out, unless Tomcat's own buffer still holds bytes for the client: then Tomcat
   * finishes the response and waits up to this long for the client to take them (docs/deploying.md,
   * "To an existing Tomcat"). Those settings make it the default grace.
   */
  private static final Duration TOMCAT_STOCK_WRITE_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Jetty's stock idle timeout, which is also its write timeout. A dropped stream whose connection
   * takes the bytes Jetty held before its request times out is completed instead; if the client
   * does not take the last chunk either, Jetty waits up to this long to send it (docs/deploying.md,
   * "To Jetty 12.1"). Those settings make it the default grace.
   */
  private static final Duration JETTY_STOCK_WRITE_TIMEOUT = Duration.ofSeconds(30);

  /** Containers check timeouts about once a second; the rest is this machine being busy. */
  private static final Duration MARGIN = Duration.ofSeconds(4);

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CLIENTS = 5;
  private static final int MAX_POSTS = 12_000;

  private final ParleyServer server;

  DisconnectIT(ParleyServer server) {
    this.server = server;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
  void streamsCutOffForFallingBehindLoseTheirConnections(String protocol) {
    Sockets.assumeReadable();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        closesHttp2Connections(server, protocol), JETTY_HTTP2);
    assertConnectionsGo(server, protocol, DEFAULT_GRACE.plus(MARGIN));
  }

  /** Where an ended stream is dispatched to wait out its grace is no page of its own. */
  @Test
  void theEndedStreamsDispatchIsNotAPage() {
    var answer = new Api(server).get(".parley/ended-stream");
    assertEquals(404, answer.statusCode());
    assertTrue(
        answer
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"),
        answer.body());
  }

  /**
   * The same with the container's own connector settings (nothing from docs/deploying.md) and a
   * short grace.
   */
  @Test
  void withTheContainersStockSettingsToo() {
    Sockets.assumeReadable();
    Map<String, String> settings =
        Map.of(
            "parley.stream.max-pending",
            "16",
            "parley.stream.close-grace-seconds",
            Long.toString(SHORT_GRACE.toSeconds()));
    try (ParleyServer stock = new ParleyServer("stock", settings, true).start()) {
      for (String protocol : List.of("HTTP/1.1", "HTTP/2")) {
        if (closesHttp2Connections(stock, protocol)) {
          assertConnectionsGo(stock, protocol, stockBound(stock).plus(MARGIN));
        }
      }
    }
  }

  /** How long a stream's connection may stay after its cut with the container's stock settings. */
  private static Duration stockBound(ParleyServer stock) {
    if (stock.container() instanceof Container.Tomcat) {
      return TOMCAT_STOCK_WRITE_TIMEOUT;
    }
    return stock.container() instanceof Container.Jetty ? JETTY_STOCK_WRITE_TIMEOUT : SHORT_GRACE;
  }

  private static final String JETTY_HTTP2 =
      "NOTICE: on Jetty the connection of an ended HTTP/2 stream whose "
          + "client reads nothing stays open past the grace (HTTP/2 ends a stream, not its connection), so the "
          + "kernel's table cannot show the stream's end (docs/deploying.md, \"To Jetty\")";

  /** Whether the server's end of a stream shows in the kernel's table: not for HTTP/2 on Jetty. */
  private static boolean closesHttp2Connections(ParleyServer server, String protocol) {
    return !(protocol.equals("HTTP/2") && server.container() instanceof Container.Jetty);
  }

  private static void assertConnectionsGo(ParleyServer server, String protocol, Duration within) {
    Api api = new Api(server);
    String room = Api.freshRoom(protocol.equals("HTTP/2") ? "cut-h2" : "cut-h1");
    String events = "api/rooms/" + room + "/events";
    List<SseClient> clients = new ArrayList<>();
    List<io.parley.core.Message> posted = new ArrayList<>();
    try (SseClient healthy = SseClient.open(server, events, null)) {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(
            protocol.equals("HTTP/2")
                ? SseClient.overHttp2(
                    server, SseClient.Http2.PRIOR_KNOWLEDGE, events, Map.of(), true)
                : SseClient.stalled(server, events));
        assertEquals(200, clients.get(i).status());
      }
      List<Integer> ports = clients.stream().map(SseClient::localPort).toList();
      Await.until("the streams to open", WAIT, () -> Metrics.openStreams(api, room) == CLIENTS + 1);
      assertEquals(CLIENTS, Sockets.established(server.port(), ports));

      String text = "x".repeat(1900);
      int posts = 0;
      while (Metrics.openStreams(api, room) > 1) {
        assertTrue(posts < MAX_POSTS, "the stalled streams were never cut off");
        for (int i = 0; i < 20; i++, posts++) {
          posted.add(api.post(room, "alice", posts + " " + text));
        }
      }
      // The room's threads never waited on the stalled clients: a healthy one got everything.
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(healthy.messages(posted.size(), WAIT)));
      long cutAt = System.nanoTime();
      Await.until(
          "the server to close the connections of the streams it ended",
          within.plus(MARGIN),
          () -> Sockets.established(server.port(), ports) == 0);
      Duration took = Duration.ofNanos(System.nanoTime() - cutAt);
      System.out.printf(
          "DisconnectIT: %s on %s, connections of cut streams gone %d ms after the cut%n",
          protocol, server.container().getClass().getSimpleName(), took.toMillis());
      assertTrue(took.compareTo(within) <= 0, "closed after " + took + ", more than " + within);
    } finally {
      clients.forEach(SseClient::close);
    }
  }
}
