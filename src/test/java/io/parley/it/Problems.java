package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Checks that an answer is an RFC 9457 problem with the expected status, and never an HTML page.
 */
final class Problems {

  private Problems() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> assertProblem(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json",
        response.headers().firstValue("Content-Type").orElse("").split(";", -1)[0]);
    assertFalse(response.body().contains("<html"), response.body());
    Map<String, Object> problem = Api.JSON.fromJson(response.body(), Map.class);
    assertEquals(status, ((Number) problem.get("status")).intValue());
    assertTrue(
        problem.containsKey("type")
            && problem.containsKey("title")
            && problem.containsKey("detail"),
        response.body());
    return problem;
  }

  /** A problem whose {@code Retry-After} is a whole number of seconds, at least one; returns it. */
  static long assertRetryAfter(HttpResponse<String> response, int status) {
    assertProblem(response, status);
    String retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .orElseThrow(() -> new AssertionError("no Retry-After"));
    long seconds = Long.parseLong(retryAfter);
    assertTrue(seconds >= 1, retryAfter);
    return seconds;
  }
}
