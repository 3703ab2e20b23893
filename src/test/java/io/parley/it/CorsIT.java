package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CORS on the guarded server, which allows one other origin: preflights, the API and the stream
 * answer that origin and no other; a refused origin cannot post. The plain server allows none.
 */
@ExtendWith(SharedServer.class)
class CorsIT {

  private static final String REFUSED = "https://evil.example.net";

  private final ParleyServer guarded;
  private final ParleyServer plain;
  private final String room = Api.freshRoom("cors");
  private final String messages = "api/rooms/" + room + "/messages";

  CorsIT(@SharedServer.Guarded ParleyServer guarded, ParleyServer plain) {
    this.guarded = guarded;
    this.plain = plain;
  }

  @Test
  void preflightFromAnAllowedOriginIsAnswered() {
    HttpResponse<String> preflight = preflight(guarded, SharedServer.ALLOWED_ORIGIN);
    assertEquals(204, preflight.statusCode(), preflight.body());
    assertEquals(
        Optional.of(SharedServer.ALLOWED_ORIGIN),
        preflight.headers().firstValue("Access-Control-Allow-Origin"));
    String methods = preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("");
    assertTrue(methods.contains("POST") && methods.contains("DELETE"), methods);
    // A listed origin may send cookies (a session), so EventSource withCredentials works from it.
    assertEquals(
        Optional.of("true"), preflight.headers().firstValue("Access-Control-Allow-Credentials"));
    String headers =
        preflight
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .toLowerCase(Locale.ROOT);
    assertTrue(
        headers.contains("authorization")
            && headers.contains("content-type")
            && headers.contains("last-event-id"),
        headers);
    assertTrue(
        preflight.headers().allValues("Vary").stream().anyMatch(vary -> vary.contains("Origin")));
  }

  @Test
  void preflightFromAnyOtherOriginIsRefused() {
    HttpResponse<String> preflight = preflight(guarded, REFUSED);
    assertProblem(preflight, 403);
    assertEquals(Optional.empty(), preflight.headers().firstValue("Access-Control-Allow-Origin"));
    assertProblem(preflight(plain, SharedServer.ALLOWED_ORIGIN), 403);
  }

  @Test
  void theApiAndTheStreamServeOnlyTheirOwnAndAllowedOrigins() {
    Api api = new Api(guarded);
    assertEquals(
        Optional.of(SharedServer.ALLOWED_ORIGIN),
        allowOrigin(
            api.sendWith("GET", "api/rooms", Map.of("Origin", SharedServer.ALLOWED_ORIGIN), null)));
    assertProblem(api.sendWith("GET", "api/rooms", Map.of("Origin", REFUSED), null), 403);
    assertProblem(
        new Api(plain)
            .sendWith("GET", "api/rooms", Map.of("Origin", SharedServer.ALLOWED_ORIGIN), null),
        403);

    try (SseClient allowed =
            SseClient.openWith(
                guarded,
                "api/rooms/" + room + "/events",
                Map.of("Origin", SharedServer.ALLOWED_ORIGIN, "X-Forwarded-For", "10.66.0.1"));
        SseClient refused =
            SseClient.openWith(
                guarded,
                "api/rooms/" + room + "/events?nick=ceo",
                Map.of("Origin", REFUSED, "X-Forwarded-For", "10.66.0.2"))) {
      assertEquals(200, allowed.status());
      assertEquals(SharedServer.ALLOWED_ORIGIN, allowed.header("Access-Control-Allow-Origin"));
      assertEquals("true", allowed.header("Access-Control-Allow-Credentials"));
      assertEquals(403, refused.status());
      assertTrue(refused.header("content-type").startsWith("application/problem+json"));
    }
  }

  /**
   * Another site's page cannot use its visitors' browsers: an {@code <img>} pointed at a stream
   * sends no Origin, but the browser marks it {@code Sec-Fetch-Site: cross-site}. The page's own
   * requests (same-origin), a navigation typed in (none) and clients that send neither header are
   * served.
   */
  @Test
  void aRequestABrowserMarksCrossSiteIs403StreamsIncluded() {
    String events = "api/rooms/" + room + "/events?nick=ceo";
    try (SseClient fromAnotherSite =
        SseClient.openWith(plain, events, Map.of("Sec-Fetch-Site", "cross-site"))) {
      assertEquals(403, fromAnotherSite.status());
      assertTrue(fromAnotherSite.header("content-type").startsWith("application/problem+json"));
    }
    assertProblem(
        new Api(plain).sendWith("GET", "api/rooms", Map.of("Sec-Fetch-Site", "cross-site"), null),
        403);
    assertProblem(
        new Api(plain)
            .sendWith(
                "POST",
                messages,
                Map.of("Sec-Fetch-Site", "cross-site", "Content-Type", "application/json"),
                "{\"author\":\"alice\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8)),
        403);
    for (String site : new String[] {"same-origin", "none"}) {
      try (SseClient own = SseClient.openWith(plain, events, Map.of("Sec-Fetch-Site", site))) {
        assertEquals(200, own.status(), site);
      }
    }
    try (SseClient curl = SseClient.open(plain, events, null)) {
      assertEquals(200, curl.status());
    }
    assertEquals(0, new Api(plain).history(room, "").size(), "the refused post was not stored");
  }

  @Test
  void aRefusedOriginCannotPostButTheSameOriginAndAnAllowedOneCan() {
    Api api = new Api(guarded);
    assertProblem(post(api, REFUSED, "10.66.1.1"), 403);
    HttpResponse<String> allowed = post(api, SharedServer.ALLOWED_ORIGIN, "10.66.1.2");
    assertEquals(201, allowed.statusCode(), allowed.body());
    assertEquals(Optional.of(SharedServer.ALLOWED_ORIGIN), allowOrigin(allowed));
    HttpResponse<String> sameOrigin = post(api, "http://127.0.0.1:" + guarded.port(), "10.66.1.3");
    assertEquals(201, sameOrigin.statusCode(), sameOrigin.body());
    assertEquals(2, api.history(room, "").size(), "the refused post was not stored");
  }

  private HttpResponse<String> post(Api api, String origin, String client) {
    return api.sendWith(
        "POST",
        messages,
        Map.of("Content-Type", "application/json", "Origin", origin, "X-Forwarded-For", client),
        "{\"author\":\"alice\",\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> preflight(ParleyServer server, String origin) {
    return new Api(server)
        .sendWith(
            "OPTIONS",
            messages,
            Map.of(
                "Origin", origin,
                "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type, authorization"),
            null);
  }

  private static Optional<String> allowOrigin(HttpResponse<String> response) {
    return response.headers().firstValue("Access-Control-Allow-Origin");
  }
}
