package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The page and its files come with a Content-Security-Policy that allows only the page's own
 * scripts (no inline script, no eval), no content sniffing and no referrer; the API too. That the
 * page works under this policy is what the browser tests show.
 */
@ExtendWith(SharedServer.class)
class SecurityHeadersIT {

  private final Api api;

  SecurityHeadersIT(ParleyServer server) {
    this.api = new Api(server);
  }

  @Test
  void thePageAllowsOnlyItsOwnScripts() {
    for (String path : new String[] {"", "index.html", "js/app.js", "css/parley.css"}) {
      HttpResponse<String> page = api.get(path);
      assertEquals(200, page.statusCode(), path);
      String policy =
          page.headers()
              .firstValue("Content-Security-Policy")
              .orElseThrow(() -> new AssertionError("no CSP on /" + path));
      assertTrue(
          policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), policy);
      assertFalse(policy.contains("unsafe-inline") || policy.contains("unsafe-eval"), policy);
      assertEquals(
          Optional.of("nosniff"), page.headers().firstValue("X-Content-Type-Options"), path);
      assertEquals(Optional.of("no-referrer"), page.headers().firstValue("Referrer-Policy"), path);
    }
  }

  @Test
  void apiAnswersAreNotSniffed() {
    assertEquals(
        Optional.of("nosniff"),
        api.get("api/rooms").headers().firstValue("X-Content-Type-Options"));
    assertEquals(
        Optional.of("nosniff"),
        api.get("api/no/such/path").headers().firstValue("X-Content-Type-Options"));
  }
}
