package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Streams and the API over HTTP/2, in each way a client starts it: h2c with prior knowledge, h2c
 * after an HTTP/1.1 upgrade, and h2 over TLS chosen by ALPN. The stream is the same stream as over
 * HTTP/1.1, and the answers carry no connection-specific header (RFC 9113 8.2.2).
 */
@ExtendWith(SharedServer.class)
class Http2IT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> CONNECTION_HEADERS =
      List.of("connection", "transfer-encoding", "keep-alive", "proxy-connection", "upgrade");

  private final ParleyServer server;
  private final Api api;

  Http2IT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @ParameterizedTest
  @EnumSource(SseClient.Http2.class)
  void aStreamOverHttp2ReplaysResumesAndGoesLive(SseClient.Http2 mode) {
    String room = Api.freshRoom("h2-" + mode.name().toLowerCase(java.util.Locale.ROOT));
    String events = "api/rooms/" + room + "/events";
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      posted.add(api.post(room, "alice", "before " + i));
    }
    try (SseClient client =
        SseClient.overHttp2(server, mode, events + "?nick=h2carol", Map.of(), false)) {
      assertEquals("HTTP/2", client.protocol());
      assertEquals(200, client.status());
      assertTrue(
          client.header("Content-Type").startsWith("text/event-stream"),
          client.header("Content-Type"));
      assertEquals("no-cache", client.header("Cache-Control"));
      CONNECTION_HEADERS.forEach(
          name ->
              assertNull(client.header(name), name + " on an HTTP/2 answer: " + client.headers()));

      SseEvent connected = client.next(WAIT);
      assertEquals("connected", connected.type());
      assertTrue(connected.retry() != null && connected.retry() > 0, "retry: " + connected.retry());
      SseEvent presence = client.next(WAIT);
      assertEquals("presence", presence.type());
      assertTrue(presence.data().contains("\"h2carol\""), presence.data());
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(client.messages(3, WAIT)));

      Message live = api.post(room, "bob", "live over HTTP/2");
      SseEvent next = client.next(event -> event.is("message"), WAIT);
      assertEquals(live, Api.read(next, Message.class));
      client.next(event -> event.is("comment") && event.data().equals("ping"), WAIT); // heartbeats
      posted.add(live);
    }
    try (SseClient resumed =
        SseClient.overHttp2(
            server, mode, events, Map.of("Last-Event-ID", posted.get(0).id()), false)) {
      assertEquals(
          StreamIT.ids(posted.subList(1, 4)), StreamIT.eventIds(resumed.messages(3, WAIT)));
      Message after = api.post(room, "bob", "after the resume");
      assertEquals(after.id(), resumed.next(event -> event.is("message"), WAIT).id());
      assertTrue(
          resumed.drain().stream().noneMatch(event -> event.is("reset") || event.is("message")),
          "nothing but what follows the id");
    }
  }

  @ParameterizedTest
  @EnumSource(SseClient.Http2.class)
  void theApiAnswersOverHttp2(SseClient.Http2 mode) {
    String room = Api.freshRoom("h2api");
    Curl.Answer created =
        Curl.exchange(
            server,
            mode,
            "POST",
            "api/rooms/" + room + "/messages",
            "application/json",
            "{\"author\":\"dana\",\"text\":\"over HTTP/2\"}");
    if (mode != SseClient.Http2.UPGRADE || !(server.container() instanceof Container.Jetty)) {
      // A server may decline an h2c upgrade (RFC 9110 7.8): Jetty declines it for a request with a
      // body.
      assertEquals("HTTP/2", created.protocol());
      CONNECTION_HEADERS.forEach(
          name -> assertNull(created.header(name), name + " on an HTTP/2 answer"));
    }
    assertEquals(201, created.status(), created.body());
    Message message = Api.JSON.fromJson(created.body(), Message.class);
    assertEquals(
        "/api/rooms/" + room + "/messages/" + message.id(),
        java.net.URI.create(created.header("Location")).getPath());

    Curl.Answer history =
        Curl.exchange(server, mode, "GET", "api/rooms/" + room + "/messages", null, null);
    assertEquals("HTTP/2", history.protocol());
    assertEquals(200, history.status());
    assertTrue(history.body().contains(message.id()), history.body());

    Curl.Answer refused =
        Curl.exchange(
            server,
            mode,
            "POST",
            "api/rooms/" + room + "/messages",
            "application/json",
            "{\"author\":\"\"}");
    assertEquals(400, refused.status(), refused.body());
    assertTrue(
        refused.header("Content-Type").startsWith("application/problem+json"),
        refused.header("Content-Type"));
    assertEquals(200, Curl.exchange(server, mode, "GET", "api/health/ready", null, null).status());
  }

  /**
   * A burst of posts on one connection, as a browser sends them (h2 over TLS): each answer whole,
   * its body as long as it says, with the security headers. Refused posts are answered fastest,
   * while the request's DATA frame may still be on its way.
   */
  @org.junit.jupiter.api.Test
  void aBurstOfPostsOnOneConnectionGetsWholeAnswers() {
    String room = Api.freshRoom("h2burst");
    Curl.Series series = refusedBurst(room);
    assertEquals(300, series.answers().size());
    for (int i = 0; i < series.answers().size(); i++) {
      Curl.Summary answer = series.answers().get(i);
      String which = "answer " + (i + 1) + " of 300: " + answer + "; curl said: " + series.errors();
      assertEquals(400, answer.status(), which);
      assertEquals(
          answer.contentLength(),
          Long.toString(answer.received()),
          "body length as announced, " + which);
      assertEquals("DENY", answer.frameOptions(), "security headers, " + which);
    }
  }

  /**
   * HTTP/1.1 clients of a server that has served HTTP/2: after streams over h2 and a burst of posts
   * whose bodies come after their headers, a long run of HTTP/1.1 posts with a stream open is
   * answered, every post, in order. On Payara 7 a read-listener call the container had queued for
   * an ended HTTP/2 request reached a later request's objects: a post was answered 505, or never.
   */
  @org.junit.jupiter.api.Test
  void http11PostsAfterHttp2TrafficAreAllAnswered() {
    String room = Api.freshRoom("h2-then-h1");
    for (SseClient.Http2 mode : SseClient.Http2.values()) {
      try (SseClient client =
          SseClient.overHttp2(
              server, mode, "api/rooms/" + room + "/events?nick=h2dan", Map.of(), false)) {
        assertEquals("connected", client.next(WAIT).type());
      }
    }
    Curl.Series refused = refusedBurst(room);
    assertTrue(
        refused.answers().stream().allMatch(answer -> answer.status() == 400), refused.errors());
    String text = "y".repeat(1900);
    List<Message> posted = new ArrayList<>();
    try (SseClient listener = SseClient.open(server, "api/rooms/" + room + "/events", null)) {
      for (int i = 0; i < 2000; i++) {
        posted.add(api.post(room, "erin", i + " " + text));
      }
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(listener.messages(posted.size(), WAIT)));
    }
  }

  /** 300 posts refused for a blank author, one after another on one HTTP/2 (TLS) connection. */
  private Curl.Series refusedBurst(String room) {
    return Curl.series(
        server,
        SseClient.Http2.TLS,
        "api/rooms/" + room + "/messages",
        "application/json",
        "{\"author\":\"\"}",
        300);
  }
}
