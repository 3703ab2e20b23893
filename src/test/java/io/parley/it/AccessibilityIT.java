package io.parley.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.Required;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Dimension;

/**
 * The chat page as axe-core (from npm, injected here, never shipped) sees it: no serious or
 * critical violation, in light and dark, at desktop and phone widths, in English and Chinese, with
 * a room that has messages of every kind (one's own, someone else's, an integration's, a mention,
 * an edited one) and someone typing.
 */
@ExtendWith(SharedServer.class)
class AccessibilityIT {

  private static final Path AXE = Path.of("node_modules", "axe-core", "axe.min.js");

  private final ParleyServer server;
  private final Api api;

  AccessibilityIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void axeFindsNoSeriousViolationInEitherSchemeWidthOrLanguage() throws Exception {
    if (!Files.isRegularFile(AXE)) {
      Required.missing(
          "the page's accessibility check", "axe-core (npm ci, which PageScriptsTest runs)");
    }
    String axe = Files.readString(AXE, UTF_8);
    String room = Api.freshRoom("a11y");
    String nick = "reader-" + UUID.randomUUID().toString().substring(0, 4);
    api.post(room, "carol", "hello @" + nick + ", see https://example.org/docs");
    try (Browser browser = Browser.launch()) {
      for (String scheme : List.of("light", "dark")) {
        browser
            .driver()
            .executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of(
                    "features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
        for (Dimension size : List.of(new Dimension(1280, 800), new Dimension(390, 844))) {
          browser.driver().manage().window().setSize(size);
          browser.driver().manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
          for (String language : List.of("en", "zh-CN")) {
            ChatPage page = ChatPage.open(browser, server, room);
            if (page.nick().isEmpty()) {
              page.chooseNick(nick);
              page.send("my own message");
              page.awaitLastTexts(List.of("my own message"));
            }
            page.chooseLanguage(language);
            io.parley.Await.until(
                "the live region to be quiet no more once caught up",
                ChatPage.WAIT,
                () ->
                    page.script("return document.getElementById('log').getAttribute('aria-busy');")
                        == null);
            String where = scheme + ", " + size.getWidth() + " px wide, " + language;
            @SuppressWarnings("unchecked")
            List<String> violations =
                (List<String>)
                    browser
                        .driver()
                        .executeAsyncScript(
                            axe
                                + ";\nconst done = arguments[arguments.length - 1];"
                                + " axe.run(document, {resultTypes: ['violations']}).then(r => done("
                                + " r.violations.filter(v => v.impact === 'serious' || v.impact"
                                + " === 'critical').map(v => v.id + ': ' + v.help + ' ' +"
                                + " v.nodes.map(n => n.target.join(' ')).join(' | '))));");
            assertEquals(List.of(), violations, where);
            browser.screenshot("a11y-" + scheme + "-" + size.getWidth() + "-" + language);
          }
        }
      }
    }
  }
}
