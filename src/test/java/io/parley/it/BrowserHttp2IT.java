package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Chromium over TLS speaks HTTP/2 to the server, and then eight {@code EventSource}s to one origin
 * (eight tabs' worth) are all live at once: over HTTP/1.1 a browser opens at most six connections
 * to one host, and the seventh stream would wait for ever.
 */
@ExtendWith(SharedServer.class)
class BrowserHttp2IT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int STREAMS = 8;

  private final ParleyServer server;
  private final Api api;

  BrowserHttp2IT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void eightEventSourcesToOneOriginAreAllLiveOverHttp2() {
    String room = Api.freshRoom("h2-tabs");
    try (Browser browser = Browser.launchTrustingTestCertificates()) {
      ChromeDriver driver = browser.driver();
      driver.get(server.tlsUri().toString());
      assertEquals(
          "h2",
          driver.executeScript(
              "return performance.getEntriesByType('navigation')[0].nextHopProtocol"));
      driver.executeScript(
          "window.opened = 0; window.got = [];"
              + "for (let i = 0; i < arguments[1]; i++) {"
              + "  const source = new EventSource('api/rooms/' + arguments[0] + '/events');"
              + "  source.addEventListener('connected', () => window.opened++);"
              + "  source.addEventListener('message', event => window.got.push(i + ' ' + JSON.parse(event.data).text));"
              + "}",
          room,
          STREAMS);
      Await.until(
          "eight streams open in the page",
          WAIT,
          () -> ((Number) driver.executeScript("return window.opened")).intValue() == STREAMS);
      api.post(room, "alice", "to every tab");
      Await.until(
          "every stream to get the message",
          WAIT,
          () -> ((Number) driver.executeScript("return window.got.length")).intValue() == STREAMS);
      @SuppressWarnings("unchecked")
      List<Object> got = (List<Object>) driver.executeScript("return window.got");
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < STREAMS; i++) {
        expected.add(i + " to every tab");
      }
      assertEquals(expected, new TreeSet<>(got.stream().map(String::valueOf).toList()));
      browser.screenshot("http2-eight-streams");
    }
  }
}
