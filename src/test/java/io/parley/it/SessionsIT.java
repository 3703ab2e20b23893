package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static io.parley.it.Problems.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions that hold nicks, over real HTTP: the token and the cookie, who may post and stream under
 * a held nick (nobody else, nor under a look-alike), ending a session, refusals as problem+json,
 * the cookie's protection against other sites, and the rate of session starts.
 */
@ExtendWith(SharedServer.class)
class SessionsIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  /** The answer of a session's start or look-up. */
  public record SessionAnswer(String nick, Instant expiresAt, String token, boolean moderator) {}

  private final ParleyServer server;
  private final ParleyServer guarded;
  private final Api api;
  private final String room = Api.freshRoom("sessions");
  private final String messages = "api/rooms/" + room + "/messages";

  SessionsIT(ParleyServer server, @SharedServer.Guarded ParleyServer guarded) {
    this.server = server;
    this.guarded = guarded;
    this.api = new Api(server);
  }

  /** A nick no other test uses. */
  private static String freshNick() {
    return "n" + UUID.randomUUID().toString().substring(0, 8);
  }

  private HttpResponse<String> start(Api on, String nick, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return on.sendWith(
        "POST",
        "api/sessions",
        all,
        Api.JSON.toJson(Map.of("nick", nick)).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> startWith(Map<String, String> body) {
    return api.sendWith(
        "POST",
        "api/sessions",
        Map.of("Content-Type", "application/json"),
        Api.JSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private SessionAnswer started(String nick) {
    HttpResponse<String> answer = start(api, nick, Map.of());
    assertEquals(201, answer.statusCode(), answer.body());
    return Api.JSON.fromJson(answer.body(), SessionAnswer.class);
  }

  private HttpResponse<String> post(String author, String text, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return api.sendWith(
        "POST",
        messages,
        all,
        Api.JSON.toJson(Map.of("author", author, "text", text)).getBytes(StandardCharsets.UTF_8));
  }

  private String origin() {
    return "http://" + server.uri().getAuthority();
  }

  /**
   * A moderator signs in to the page with their secret: their session holds their reserved name and
   * may moderate (delete another's message); without the secret, or with a wrong one, the name is
   * not theirs.
   */
  @Test
  void aModeratorsSecretStartsASessionThatModerates() {
    String moderator = SharedServer.MODERATOR;
    assertEquals(
        "urn:parley:problem:reserved-name",
        assertProblem(start(api, moderator, Map.of()), 403).get("type"));
    HttpResponse<String> wrong = startWith(Map.of("nick", moderator, "secret", "not-it"));
    assertProblem(wrong, 401);
    HttpResponse<String> notThisName =
        startWith(Map.of("nick", freshNick(), "secret", SharedServer.MODERATOR_TOKEN));
    assertProblem(notThisName, 401);

    HttpResponse<String> answer =
        startWith(Map.of("nick", moderator, "secret", SharedServer.MODERATOR_TOKEN));
    assertEquals(201, answer.statusCode(), answer.body());
    SessionAnswer session = Api.JSON.fromJson(answer.body(), SessionAnswer.class);
    assertTrue(session.moderator(), answer.body());
    Map<String, String> asModerator = Map.of("Authorization", "Bearer " + session.token());
    HttpResponse<String> current = api.sendWith("GET", "api/sessions/current", asModerator, null);
    assertTrue(Api.JSON.fromJson(current.body(), SessionAnswer.class).moderator(), current.body());
    try {
      SessionAnswer someone = started(freshNick());
      HttpResponse<String> mine =
          api.sendWith(
              "GET",
              "api/sessions/current",
              Map.of("Authorization", "Bearer " + someone.token()),
              null);
      assertFalse(Api.JSON.fromJson(mine.body(), SessionAnswer.class).moderator(), mine.body());
      HttpResponse<String> posted =
          post(
              someone.nick(),
              "to be removed",
              Map.of("Authorization", "Bearer " + someone.token()));
      assertEquals(201, posted.statusCode(), posted.body());
      Message message = Api.JSON.fromJson(posted.body(), Message.class);
      HttpResponse<String> deleted =
          api.sendWith("DELETE", messages + "/" + message.id(), asModerator, null);
      assertEquals(204, deleted.statusCode(), deleted.body());
    } finally {
      api.sendWith("DELETE", "api/sessions/current", asModerator, null);
    }
  }

  @Test
  void aSessionHoldsItsNickWithATokenAndAnHttpOnlyCookie() {
    String nick = freshNick();
    HttpResponse<String> answer = start(api, nick, Map.of());
    assertEquals(201, answer.statusCode(), answer.body());
    SessionAnswer session = Api.JSON.fromJson(answer.body(), SessionAnswer.class);
    assertEquals(nick, session.nick());
    assertTrue(session.token().startsWith("ps_"), session.token());
    Duration held = Duration.between(Instant.now(), session.expiresAt());
    assertTrue(held.compareTo(Duration.ofDays(29)) > 0, "held for 30 days: " + held);
    assertTrue(
        answer.headers().firstValue("Location").orElse("").endsWith("/api/sessions/current"));
    String cookie =
        answer.headers().allValues("Set-Cookie").stream()
            .filter(value -> value.startsWith("parley_session="))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no session cookie: " + answer.headers()));
    assertTrue(cookie.startsWith("parley_session=" + session.token() + ";"), cookie);
    for (String attribute : List.of("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=")) {
      assertTrue(cookie.contains(attribute), attribute + " in " + cookie);
    }
    assertFalse(cookie.contains("Secure"), "not over plain HTTP: " + cookie);

    // Who am I, by token and by cookie; the token is never sent back.
    for (Map<String, String> shown :
        List.of(
            Map.of("Authorization", "Bearer " + session.token()),
            Map.of("Cookie", "parley_session=" + session.token()))) {
      HttpResponse<String> current = api.sendWith("GET", "api/sessions/current", shown, null);
      assertEquals(200, current.statusCode(), current.body());
      SessionAnswer me = Api.JSON.fromJson(current.body(), SessionAnswer.class);
      assertEquals(nick, me.nick());
      assertNull(me.token());
    }
    HttpResponse<String> nobody = api.get("api/sessions/current");
    assertProblem(nobody, 401);
    assertTrue(nobody.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertProblem(
        post(nick, "wrong", Map.of("Authorization", "Bearer " + session.token() + "x")), 401);
    assertFalse(
        server.logs().contains(session.token().substring(3)), "a session token is in the logs");
  }

  @Test
  void nobodyElsePostsOrStreamsUnderAHeldNickNorALookAlike() {
    String nick = freshNick();
    SessionAnswer session = started(nick);
    String fullwidth =
        nick.toUpperCase(java.util.Locale.ROOT)
            .chars()
            .map(c -> Character.isLetterOrDigit(c) ? c + 0xFEE0 : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    for (String name : List.of(nick, nick.toUpperCase(java.util.Locale.ROOT), fullwidth)) {
      Map<String, Object> refused = assertProblem(post(name, "it is me", Map.of()), 403);
      assertEquals("urn:parley:problem:nick-held", refused.get("type"), name);
      assertProblem(api.get("api/rooms/" + room + "/events?nick=" + name), 403);
    }

    // The holder posts with its token or its cookie: the author is the session's nick.
    HttpResponse<String> byToken =
        post("someone-else", "by token", Map.of("Authorization", "Bearer " + session.token()));
    assertEquals(201, byToken.statusCode(), byToken.body());
    Message posted = Api.JSON.fromJson(byToken.body(), Message.class);
    assertEquals(nick, posted.author());
    assertFalse(posted.integration());
    HttpResponse<String> byCookie =
        post(
            nick,
            "by cookie",
            Map.of("Cookie", "parley_session=" + session.token(), "Origin", origin()));
    assertEquals(201, byCookie.statusCode(), byCookie.body());

    // A change made with the cookie but no Origin (a form's post from elsewhere) is refused.
    assertProblem(post(nick, "forged", Map.of("Cookie", "parley_session=" + session.token())), 403);
    // A wrong session token is 401, never anonymous.
    assertProblem(post(nick, "wrong", Map.of("Authorization", "Bearer ps_wrong")), 401);

    assertEquals(
        List.of("by token", "by cookie"),
        api.history(room, "?limit=10").stream().map(Message::text).toList(),
        "nothing else was stored");
  }

  @Test
  void aSignedInStreamShowsTheSessionsNick() {
    String nick = freshNick();
    SessionAnswer session = started(nick);
    try (SseClient stream =
        SseClient.openWith(
            server,
            "api/rooms/" + room + "/events?nick=" + freshNick(),
            Map.of("Authorization", "Bearer " + session.token()))) {
      assertEquals(200, stream.status());
      SseEvent presence = stream.next(event -> event.is("presence"), WAIT);
      assertTrue(presence.data().contains("\"" + nick + "\""), presence.data());
    }
  }

  @Test
  void theHolderGetsItsOwnSessionBackAndEndingItFreesTheNick() {
    String nick = freshNick();
    SessionAnswer session = started(nick);
    assertEquals(
        "urn:parley:problem:nick-held", assertProblem(start(api, nick, Map.of()), 403).get("type"));
    HttpResponse<String> again =
        start(api, nick, Map.of("Authorization", "Bearer " + session.token()));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(session.token(), Api.JSON.fromJson(again.body(), SessionAnswer.class).token());

    HttpResponse<String> ended =
        api.sendWith(
            "DELETE",
            "api/sessions/current",
            Map.of("Authorization", "Bearer " + session.token()),
            null);
    assertEquals(204, ended.statusCode(), ended.body());
    assertTrue(
        ended.headers().allValues("Set-Cookie").stream()
            .anyMatch(value -> value.startsWith("parley_session=;") && value.contains("Max-Age=0")),
        ended.headers().toString());
    assertProblem(
        api.sendWith(
            "GET",
            "api/sessions/current",
            Map.of("Authorization", "Bearer " + session.token()),
            null),
        401);
    assertEquals(201, post(nick, "free again", Map.of()).statusCode());
  }

  @Test
  void namesNobodyMayHoldAreRefusedClearly() {
    Map<String, Object> invisible = assertProblem(start(api, "zero\u200bwidth", Map.of()), 400);
    assertTrue(invisible.toString().contains("nick"), invisible.toString());
    for (String body : List.of("{\"nick\":", "{}", "[]", "{\"nick\":7}", "")) {
      assertProblem(
          api.sendWith(
              "POST",
              "api/sessions",
              Map.of("Content-Type", "application/json"),
              body.getBytes(StandardCharsets.UTF_8)),
          400);
    }
    assertEquals(
        "urn:parley:problem:reserved-name",
        assertProblem(
                start(new Api(guarded), "CI-Bot", Map.of("X-Forwarded-For", "10.71.0.1")), 403)
            .get("type"));
  }

  @Test
  void sessionStartsArePerClientRateLimited() {
    Api limited = new Api(guarded);
    String client = "10.71.1.1";
    int started = 0;
    HttpResponse<String> answer;
    do {
      answer = start(limited, freshNick(), Map.of("X-Forwarded-For", client));
      if (answer.statusCode() == 201) {
        started++;
      }
    } while (answer.statusCode() == 201 && started < 50);
    assertRetryAfter(answer, 429);
    assertTrue(started >= 10 && started <= 12, "the burst, then refused: " + started);
    // Another client is not concerned.
    assertEquals(
        201, start(limited, freshNick(), Map.of("X-Forwarded-For", "10.71.2.1")).statusCode());
  }
}
