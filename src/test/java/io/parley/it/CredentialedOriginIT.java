package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page of another origin that {@code parley.cors.origins} allows (here another port of localhost:
 * the same site, so the browser sends the session's SameSite=Lax cookie) starts a session with
 * {@code fetch(…, {credentials: "include"})}, posts with it, and streams with {@code new
 * EventSource(url, {withCredentials: true})}: in headless Chromium, the stream counts as the
 * session's nick and the post is authored by it. Without credentials the same stream is anonymous.
 */
class CredentialedOriginIT {

  private static HttpServer otherOrigin;
  private static ParleyServer server;

  @BeforeAll
  static void start() throws IOException {
    otherOrigin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    otherOrigin.createContext(
        "/",
        exchange -> {
          byte[] page =
              "<!doctype html><title>another origin</title><p>another origin</p>"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream body = exchange.getResponseBody()) {
            body.write(page);
          }
        });
    otherOrigin.start();
    server =
        new ParleyServer(
                "credentials", Map.of("parley.cors.origins", "http://localhost:" + otherPort()))
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (otherOrigin != null) {
      otherOrigin.stop(0);
    }
  }

  private static int otherPort() {
    return otherOrigin.getAddress().getPort();
  }

  @Test
  void anAllowedOriginsPageSignsInPostsAndStreamsWithTheSessionCookie() {
    String parley = "http://localhost:" + server.uri().getPort();
    String room = Api.freshRoom("credentials");
    String nick = "c" + UUID.randomUUID().toString().substring(0, 8);
    try (Browser browser = Browser.launch()) {
      ChromeDriver driver = browser.driver();
      driver.get("http://localhost:" + otherPort() + "/");
      @SuppressWarnings("unchecked")
      List<Object> results =
          (List<Object>)
              driver.executeAsyncScript(
                  """
                  const [parley, room, nick, done] = arguments;
                  const presence = (where, credentials) => new Promise((resolve, reject) => {
                    const source = new EventSource(
                      parley + '/api/rooms/' + where + '/events', {withCredentials: credentials});
                    source.addEventListener('presence', event => {
                      source.close();
                      resolve(JSON.parse(event.data).online.join(','));
                    });
                    source.onerror = () => { source.close(); reject(new Error('stream failed')); };
                  });
                  (async () => {
                    const started = await fetch(parley + '/api/sessions', {
                      method: 'POST', credentials: 'include',
                      headers: {'Content-Type': 'application/json'},
                      body: JSON.stringify({nick})});
                    const posted = await fetch(parley + '/api/rooms/' + room + '/messages', {
                      method: 'POST', credentials: 'include',
                      headers: {'Content-Type': 'application/json'},
                      body: JSON.stringify({author: 'whoever', text: 'from another origin'})});
                    const author = (await posted.json()).author;
                    const signedIn = await presence(room, true);
                    const anonymous = await presence(room + '-b', false);
                    return [started.status, posted.status, author, signedIn, anonymous];
                  })().then(done, error => done(['failed: ' + error]));
                  """,
                  parley,
                  room,
                  nick);
      assertEquals(5, results.size(), results.toString());
      assertEquals(201L, results.get(0), "session started: " + results);
      assertEquals(201L, results.get(1), "posted: " + results);
      assertEquals(nick, results.get(2), "authored by the session's nick");
      assertTrue(results.get(3).toString().contains(nick), "streams as the nick: " + results);
      assertEquals("", results.get(4), "without credentials the stream is nobody's");
    }
  }
}
