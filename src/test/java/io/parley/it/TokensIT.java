package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Integration tokens: a valid one posts as its integration (and is not rate limited); a wrong one,
 * a malformed header, or none where one is required is 401; nobody else may use an integration's
 * name; secrets never reach the logs.
 */
@ExtendWith(SharedServer.class)
class TokensIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ParleyServer server;
  private final Api api;
  private final String room = Api.freshRoom("tokens");
  private final String messages = "api/rooms/" + room + "/messages";

  TokensIT(@SharedServer.Guarded ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void aValidTokenPostsAsItsIntegrationAndStreamsSayWhere() {
    try (SseClient watcher = SseClient.open(server, "api/rooms/" + room + "/events", null)) {
      HttpResponse<String> created =
          post(Map.of("text", "build 42 passed"), "Bearer " + SharedServer.BOT_TOKEN, "10.88.0.1");
      assertEquals(201, created.statusCode(), created.body());
      Message message = Api.JSON.fromJson(created.body(), Message.class);
      assertEquals(SharedServer.BOT, message.author());
      assertTrue(message.integration());

      // The author in the body does not matter: a token posts under its own name only.
      Message claimed =
          Api.JSON.fromJson(
              post(
                      Map.of("author", "mallory", "text", "deploy"),
                      "Bearer " + SharedServer.OTHER_TOKEN,
                      "10.88.0.1")
                  .body(),
              Message.class);
      assertEquals("deploy", claimed.author());
      assertTrue(claimed.integration());

      List<Message> seen =
          watcher.messages(2, WAIT).stream().map(event -> Api.read(event, Message.class)).toList();
      assertEquals(List.of(message, claimed), seen);
      assertTrue(seen.get(0).integration());
    }
    Message person = api.post(room, "alice", "thanks, bot");
    assertFalse(person.integration());
  }

  @Test
  void tokenPostsAreNotRateLimited() {
    for (int i = 0; i < SharedServer.POSTS_BURST * 3; i++) {
      HttpResponse<String> created =
          post(Map.of("text", "status " + i), "Bearer " + SharedServer.BOT_TOKEN, "10.88.0.2");
      assertEquals(201, created.statusCode(), created.body());
    }
  }

  @Test
  void wrongOrMalformedTokensAre401AndPostNothing() {
    for (String authorization :
        List.of(
            "Bearer wrong-token",
            "Bearer " + SharedServer.BOT_TOKEN + "x",
            "Bearer",
            "Basic Y2ktYm90OnNlY3JldA==",
            SharedServer.BOT_TOKEN)) {
      HttpResponse<String> refused =
          post(
              Map.of("author", "alice", "text", "sneaky"),
              authorization,
              "10.88.1." + authorization.length());
      assertProblem(refused, 401);
      assertTrue(
          refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
          authorization);
    }
    assertTrue(api.history(room, "").isEmpty(), "nothing was stored");
  }

  @Test
  void peopleCannotPostOrAppearUnderAnIntegrationsName() {
    // Look-alikes too: a Unicode hyphen, a Cyrillic o, fullwidth letters, a dotless i.
    List<String> names =
        List.of(
            SharedServer.BOT,
            "CI-Bot",
            " ci-bot ",
            "Deploy",
            "ci\u2010bot",
            "ci-b\u043et",
            "\uff43\uff49\uff0d\uff42\uff4f\uff54",
            "c\u0131-bot");
    for (int i = 0; i < names.size(); i++) {
      assertProblem(
          post(Map.of("author", names.get(i), "text", "I am the bot"), null, "10.88.2." + (i + 1)),
          403);
    }
    assertProblem(api.get("api/rooms/" + room + "/events?nick=ci-bot"), 403);
    assertProblem(api.get("api/rooms/" + room + "/events?nick=ci-b%D0%BEt"), 403);
    // What hides what it holds is refused outright: "tob-ic" behind a right-to-left override shows
    // as "ci-bot".
    assertProblem(
        post(Map.of("author", "\u202etob-ic", "text", "I am the bot"), null, "10.88.2.20"), 400);
    assertProblem(api.get("api/rooms/" + room + "/events?nick=ci%E2%80%8Bbot"), 400);
    assertTrue(api.history(room, "").isEmpty(), "nothing was stored");
  }

  @Test
  void secretsNeverReachTheLogs() {
    post(Map.of("text", "logged?"), "Bearer " + SharedServer.BOT_TOKEN, "10.88.3.1");
    post(Map.of("text", "logged?"), "Bearer " + SharedServer.OTHER_TOKEN + "-wrong", "10.88.3.1");
    String logs = server.logs();
    assertFalse(logs.contains(SharedServer.BOT_TOKEN), "the bot's token is in the server's logs");
    assertFalse(logs.contains(SharedServer.OTHER_TOKEN), "a token is in the server's logs");
  }

  @Test
  void withAnonymousPostingOffEveryPostNeedsAToken() {
    try (ParleyServer closed =
        new ParleyServer(
                "closed",
                Map.of(
                    "parley.post.anonymous", "false",
                    "parley.tokens", SharedServer.BOT + ":" + SharedServer.BOT_TOKEN,
                    "parley.limit.streams-per-client", "1",
                    "parley.trusted-proxies", "10.9.9.9"))
            .start()) {
      Api closedApi = new Api(closed);
      HttpResponse<String> anonymous =
          closedApi.postJson(messages, Api.JSON.toJson(Map.of("author", "alice", "text", "hi")));
      assertProblem(anonymous, 401);
      assertTrue(anonymous.headers().firstValue("WWW-Authenticate").isPresent());
      HttpResponse<String> form =
          closedApi.postForm(messages, Map.of("author", "alice", "text", "hi"));
      assertProblem(form, 401);

      HttpResponse<String> bot =
          closedApi.sendWith(
              "POST",
              messages,
              Map.of(
                  "Content-Type",
                  "application/json",
                  "Authorization",
                  "Bearer " + SharedServer.BOT_TOKEN),
              "{\"text\":\"only bots here\"}".getBytes(StandardCharsets.UTF_8));
      assertEquals(201, bot.statusCode(), bot.body());
      assertEquals(
          List.of("only bots here"),
          closedApi.history(room, "").stream().map(Message::text).toList());

      // 127.0.0.1 is no trusted proxy there: X-Forwarded-For cannot make a second client.
      try (SseClient first =
              SseClient.openWith(
                  closed, "api/rooms/" + room + "/events", Map.of("X-Forwarded-For", "10.1.1.1"));
          SseClient second =
              SseClient.openWith(
                  closed, "api/rooms/" + room + "/events", Map.of("X-Forwarded-For", "10.1.1.2"))) {
        assertEquals(200, first.status());
        assertEquals(429, second.status());
      }
    }
  }

  private HttpResponse<String> post(
      Map<String, String> fields, String authorization, String client) {
    Map<String, String> headers =
        new HashMap<>(Map.of("Content-Type", "application/json", "X-Forwarded-For", client));
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return api.sendWith(
        "POST", messages, headers, Api.JSON.toJson(fields).getBytes(StandardCharsets.UTF_8));
  }

  /** A token limited to some rooms posts and reads there only (403 elsewhere). */
  @Test
  void aScopedTokenServesOnlyItsRooms() {
    String ops = Api.freshRoom("ops");
    HttpResponse<String> inScope =
        api.sendWith(
            "POST",
            "api/rooms/" + ops + "/messages",
            Map.of(
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer " + SharedServer.SCOPED_TOKEN,
                "X-Forwarded-For",
                "10.88.3.1"),
            "{\"text\":\"deployed\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(201, inScope.statusCode(), inScope.body());
    assertEquals("scoped", Api.JSON.fromJson(inScope.body(), Message.class).author());
    HttpResponse<String> outOfScope =
        api.sendWith(
            "POST",
            messages,
            Map.of(
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer " + SharedServer.SCOPED_TOKEN,
                "X-Forwarded-For",
                "10.88.3.1"),
            "{\"text\":\"not here\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "urn:parley:problem:token-not-for-room", assertProblem(outOfScope, 403).get("type"));
    assertProblem(
        api.sendWith(
            "GET", messages, Map.of("Authorization", "Bearer " + SharedServer.SCOPED_TOKEN), null),
        403);
  }
}
