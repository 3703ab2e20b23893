package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code parley.auth.required=true}, posts and streams need a session (401 with {@code
 * WWW-Authenticate} without one); integrations still post with their tokens, and anyone may start a
 * session. On Tomcat only: the rule is the application's, not the container's.
 */
class AuthRequiredIT {

  private static ParleyServer server;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        Container.fromSystemProperties() instanceof Container.Tomcat,
        "the rule is the application's; checked on Tomcat");
    server =
        new ParleyServer(
                "auth-required",
                Map.of("parley.auth.required", "true", "parley.tokens", "ci-bot:s3cret"))
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

    HttpResponse<String> started =
        api.sendWith(
            "POST",
            "api/sessions",
            Map.of("Content-Type", "application/json"),
            "{\"nick\":\"member\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(201, started.statusCode(), started.body());
    String token = Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
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
}
