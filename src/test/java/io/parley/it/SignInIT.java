package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.TestJwts;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in, on a server where posts and streams need it ({@code parley.auth.required=true}) and an
 * identity provider made at test time is trusted: without a session or a JWT, 401 with {@code
 * WWW-Authenticate}; a session or a JWT (RS256 or ES256, in the header or the cookie) makes the
 * request that user, whose nick nobody else may hold; a JWT that is expired, forged or another
 * issuer's is 401; a stream ends with {@code token-expired} when its JWT expires; integrations
 * still post with their tokens.
 */
class SignInIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path keys;

  private static TestJwts idp;
  private static ParleyServer server;

  @BeforeAll
  static void start() {
    idp = new TestJwts();
    server =
        new ParleyServer(
                "sign-in",
                Map.of(
                    "parley.auth.required",
                    "true",
                    "parley.tokens",
                    "ci-bot:s3cret",
                    "parley.auth.jwt.public-key",
                    idp.writePem(keys).toString(),
                    "parley.auth.jwt.issuer",
                    TestJwts.ISSUER))
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static HttpResponse<String> post(Api api, String room, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return api.sendWith(
        "POST",
        "api/rooms/" + room + "/messages",
        all,
        Api.JSON
            .toJson(Map.of("author", "anyone", "text", "hello"))
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void postsAndStreamsNeedASessionOrAnIntegrationToken() {
    Api api = new Api(server);
    String room = Api.freshRoom("auth");
    HttpResponse<String> anonymous = post(api, room, Map.of());
    assertProblem(anonymous, 401);
    assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertProblem(api.get("api/rooms/" + room + "/events?nick=anyone"), 401);

    String token = startSession(api, "member");
    Map<String, String> signedIn = Map.of("Authorization", "Bearer " + token);
    HttpResponse<String> posted = post(api, room, signedIn);
    assertEquals(201, posted.statusCode(), posted.body());
    assertEquals("member", Api.JSON.fromJson(posted.body(), Message.class).author());
    try (SseClient stream = SseClient.openWith(server, "api/rooms/" + room + "/events", signedIn)) {
      assertEquals(200, stream.status());
    }

    HttpResponse<String> integration = post(api, room, Map.of("Authorization", "Bearer s3cret"));
    assertEquals(201, integration.statusCode(), integration.body());
  }

  private static HttpResponse<String> startSessionAnswer(Api api, String nick) {
    return api.sendWith(
        "POST",
        "api/sessions",
        Map.of("Content-Type", "application/json"),
        Api.JSON.toJson(Map.of("nick", nick)).getBytes(StandardCharsets.UTF_8));
  }

  private static String startSession(Api api, String nick) {
    HttpResponse<String> started = startSessionAnswer(api, nick);
    assertEquals(201, started.statusCode(), started.body());
    return Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
  }

  private static Instant inAnHour() {
    return Instant.now().plus(Duration.ofHours(1));
  }

  @Test
  void aJwtSignsItsUserInByHeaderOrCookieAndHoldsTheirNick() {
    Api api = new Api(server);
    String room = Api.freshRoom("jwt");
    String jwt = idp.rs256("u-grace", "grace", TestJwts.ISSUER, inAnHour());
    HttpResponse<String> byHeader = post(api, room, Map.of("Authorization", "Bearer " + jwt));
    assertEquals(201, byHeader.statusCode(), byHeader.body());
    assertEquals("grace", Api.JSON.fromJson(byHeader.body(), Message.class).author());

    HttpResponse<String> current =
        api.sendWith("GET", "api/sessions/current", Map.of("Authorization", "Bearer " + jwt), null);
    assertEquals(200, current.statusCode(), current.body());
    assertEquals("grace", Api.JSON.fromJson(current.body(), SessionsIT.SessionAnswer.class).nick());

    String origin = "http://" + server.uri().getAuthority();
    HttpResponse<String> byCookie =
        post(api, room, Map.of("Cookie", "parley_jwt=" + jwt, "Origin", origin));
    assertEquals(201, byCookie.statusCode(), byCookie.body());
    assertProblem(post(api, room, Map.of("Cookie", "parley_jwt=" + jwt)), 403); // no Origin

    // Nobody else may hold the provider's user's nick.
    assertEquals(
        "urn:parley:problem:nick-held",
        assertProblem(startSessionAnswer(api, "Grace"), 403).get("type"));
    // An ES256 token of another user works as well.
    String henry = idp.es256("u-henry", "henry-es", TestJwts.ISSUER, inAnHour());
    assertEquals(201, post(api, room, Map.of("Authorization", "Bearer " + henry)).statusCode());
  }

  /** A private room is open to the users whose JWT grants it, by name or by prefix. */
  @Test
  void aJwtsRoomsClaimMakesItsUserAMemberOfThePrivateRoomsItGrants() {
    Api api = new Api(server);
    String room = Api.freshRoom("granted");
    String owner =
        idp.rs256(
            "u-owner-" + room,
            "o-" + room.substring(room.length() - 8),
            TestJwts.ISSUER,
            inAnHour());
    HttpResponse<String> made =
        api.sendWith(
            "POST",
            "api/rooms",
            Map.of("Content-Type", "application/json", "Authorization", "Bearer " + owner),
            Api.JSON
                .toJson(Map.of("name", room, "private", true))
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(201, made.statusCode(), made.body());
    String byPrefix =
        idp.rs256(
            "u-p-" + room,
            "p-" + room.substring(room.length() - 8),
            TestJwts.ISSUER,
            inAnHour(),
            List.of("granted-*"));
    String byName =
        idp.rs256(
            "u-n-" + room,
            "n-" + room.substring(room.length() - 8),
            TestJwts.ISSUER,
            inAnHour(),
            List.of(room));
    String other =
        idp.rs256(
            "u-x-" + room,
            "x-" + room.substring(room.length() - 8),
            TestJwts.ISSUER,
            inAnHour(),
            List.of("elsewhere-*"));
    for (String granted : List.of(byPrefix, byName)) {
      HttpResponse<String> read =
          api.sendWith(
              "GET",
              "api/rooms/" + room + "/messages",
              Map.of("Authorization", "Bearer " + granted),
              null);
      assertEquals(200, read.statusCode(), read.body());
    }
    assertProblem(
        api.sendWith(
            "GET",
            "api/rooms/" + room + "/messages",
            Map.of("Authorization", "Bearer " + other),
            null),
        404);
  }

  @Test
  void theProvidersWordWinsOverASessionThatTookTheNickFirst() {
    Api api = new Api(server);
    String squatter = startSession(api, "ivy");
    String jwt = idp.rs256("u-ivy", "ivy", TestJwts.ISSUER, inAnHour());
    HttpResponse<String> posted =
        post(api, Api.freshRoom("jwt"), Map.of("Authorization", "Bearer " + jwt));
    assertEquals(201, posted.statusCode(), posted.body());
    assertProblem(
        api.sendWith(
            "GET", "api/sessions/current", Map.of("Authorization", "Bearer " + squatter), null),
        401);
  }

  @Test
  void expiredForgedAndForeignJwtsAre401() {
    Api api = new Api(server);
    String room = Api.freshRoom("jwt");
    TestJwts stranger = new TestJwts();
    for (String jwt :
        List.of(
            idp.rs256("u-1", "jack", TestJwts.ISSUER, Instant.now().minusSeconds(60)),
            idp.rs256("u-1", "jack", "https://elsewhere.test", inAnHour()),
            stranger.rs256("u-1", "jack", TestJwts.ISSUER, inAnHour()))) {
      HttpResponse<String> refused = post(api, room, Map.of("Authorization", "Bearer " + jwt));
      assertProblem(refused, 401);
      assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertProblem(
          api.sendWith(
              "GET",
              "api/rooms/" + room + "/events",
              Map.of("Authorization", "Bearer " + jwt),
              null),
          401);
    }
    assertEquals(List.of(), api.history(room, "?limit=10"));
  }

  @Test
  void aStreamEndsWithTokenExpiredWhenItsJwtExpires() {
    String room = Api.freshRoom("jwt");
    String jwt = idp.rs256("u-kim", "kim", TestJwts.ISSUER, Instant.now().plusSeconds(3));
    try (SseClient stream =
        SseClient.openWith(
            server, "api/rooms/" + room + "/events", Map.of("Authorization", "Bearer " + jwt))) {
      assertEquals(200, stream.status());
      SseEvent shutdown = stream.next(event -> event.is("shutdown"), WAIT);
      assertTrue(shutdown.data().contains("\"reason\":\"token-expired\""), shutdown.data());
      stream.awaitEnd(WAIT);
    }
  }
}
