package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static io.parley.it.Problems.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each limit of DESIGN.md answers with its status and {@code Retry-After}, refuses only the client
 * over it, and serves again once the window has passed. The guarded server trusts 127.0.0.1 as a
 * proxy, so every test here is its own client by {@code X-Forwarded-For}.
 */
@ExtendWith(SharedServer.class)
class LimitsIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(1);

  private final ParleyServer server;
  private final Api api;
  private final String room = Api.freshRoom("limits");

  LimitsIT(@SharedServer.Guarded ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void postsOverTheRateAre429WithRetryAfterAndServedAgainAfterIt() {
    String client = newClient();
    for (int i = 0; i < SharedServer.POSTS_BURST; i++) {
      HttpResponse<String> response = post(client, "burst " + i);
      assertEquals(201, response.statusCode(), response.body());
      assertEquals("burst " + i, Api.JSON.fromJson(response.body(), Message.class).text());
    }
    long retryAfter = assertRetryAfter(post(client, "one too many"), 429);
    assertTrue(retryAfter <= 1 + 1 / SharedServer.POSTS_PER_SECOND, "Retry-After " + retryAfter);

    // Only this client is over its limit.
    assertEquals(201, post(newClient(), "someone else").statusCode());

    // After the window it posts again, and the refused post was never stored.
    Await.until(
        "the client to be served again",
        Duration.ofSeconds(retryAfter + 5),
        () -> {
          HttpResponse<String> again = post(client, "after the window");
          return again.statusCode() == 201;
        });
    List<String> texts = api.history(room, "").stream().map(Message::text).toList();
    assertTrue(
        !texts.contains("one too many") && texts.contains("after the window"), texts.toString());
  }

  @Test
  void moreStreamsThanAllowedPerClientAre429UntilOneCloses() {
    String client = newClient();
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < SharedServer.STREAMS_PER_CLIENT; i++) {
        open.add(stream(client));
        assertEquals(200, open.get(i).status());
      }
      try (SseClient refused = stream(client)) {
        assertEquals(429, refused.status());
        assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
        assertEquals("application/problem+json", refused.header("Content-Type").split(";", -1)[0]);
      }
      try (SseClient other = stream(newClient())) {
        assertEquals(200, other.status(), "another client is not limited");
      }
      open.remove(0).close();
      Await.until(
          "a place to be free again",
          WAIT,
          () -> {
            SseClient again = stream(client);
            open.add(again);
            return again.status() == 200;
          });
    } finally {
      open.forEach(SseClient::close);
    }
  }

  @Test
  void moreStreamsThanTheNodeAllowsAre503UntilOneCloses() {
    List<SseClient> open = new ArrayList<>();
    try {
      SseClient refused = null;
      for (int i = 0; i <= SharedServer.STREAMS_PER_NODE && refused == null; i++) {
        SseClient next = stream(newClient());
        if (next.status() == 200) {
          open.add(next);
        } else {
          refused = next;
        }
      }
      assertTrue(
          refused != null,
          "the node accepted more than " + SharedServer.STREAMS_PER_NODE + " streams");
      assertEquals(503, refused.status());
      assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
      refused.close();
      open.remove(0).close();
      Await.until(
          "the node to take a stream again",
          WAIT,
          () -> {
            SseClient again = stream(newClient());
            open.add(again);
            return again.status() == 200;
          });
    } finally {
      open.forEach(SseClient::close);
    }
  }

  @Test
  void bodiesOverTheConfiguredSizeAre413() {
    String text = "x".repeat(5000);
    byte[] body =
        Api.JSON.toJson(Map.of("author", "alice", "text", text)).getBytes(StandardCharsets.UTF_8);
    assertProblem(
        api.sendWith(
            "POST",
            "api/rooms/" + room + "/messages",
            Map.of("Content-Type", "application/json", "X-Forwarded-For", newClient()),
            body),
        413);
  }

  @Test
  void whatAClientWritesBeforeTheProxysHopCountsForNothing() {
    // nginx appends the peer it saw: the client is the right-most hop that is not a trusted proxy.
    String events = "api/rooms/" + room + "/events";
    String real = newClient();
    List<SseClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < SharedServer.STREAMS_PER_CLIENT; i++) {
        open.add(SseClient.openWith(server, events, Map.of("X-Forwarded-For", real)));
        assertEquals(200, open.get(i).status());
      }
      try (SseClient forged =
          SseClient.openWith(
              server, events, Map.of("X-Forwarded-For", newClient() + ", " + real))) {
        assertEquals(429, forged.status(), "a forged first hop picks no fresh identity");
      }
      try (SseClient viaTwoProxies =
          SseClient.openWith(server, events, Map.of("X-Forwarded-For", real + ", 127.0.0.1"))) {
        assertEquals(429, viaTwoProxies.status(), "a trusted proxy's hop is passed over");
      }
      try (SseClient garbageBefore =
          SseClient.openWith(
              server, events, Map.of("X-Forwarded-For", "not-an-address, " + newClient()))) {
        assertEquals(200, garbageBefore.status(), "garbage the client wrote is not read");
      }
    } finally {
      open.forEach(SseClient::close);
    }
  }

  private HttpResponse<String> post(String client, String text) {
    byte[] body =
        Api.JSON.toJson(Map.of("author", "alice", "text", text)).getBytes(StandardCharsets.UTF_8);
    return api.sendWith(
        "POST",
        "api/rooms/" + room + "/messages",
        Map.of("Content-Type", "application/json", "X-Forwarded-For", client),
        body);
  }

  private SseClient stream(String client) {
    return SseClient.openWith(
        server, "api/rooms/" + room + "/events", Map.of("X-Forwarded-For", client));
  }

  /** An address no other test uses, as a load balancer would name the client. */
  private static String newClient() {
    int n = NEXT_CLIENT.getAndIncrement();
    return "10.77." + (n / 250) + "." + (n % 250 + 1);
  }
}
