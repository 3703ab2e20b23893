package io.parley.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.Await;
import io.parley.Required;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;

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

  private static String axe() throws java.io.IOException {
    if (!Files.isRegularFile(AXE)) {
      Required.missing(
          "the page's accessibility check", "axe-core (npm ci, which PageScriptsTest runs)");
    }
    return Files.readString(AXE, UTF_8);
  }

  /** What axe finds serious or critical on the current tab's page, one line each. */
  @SuppressWarnings("unchecked")
  private static List<String> violations(Browser browser, String axe) {
    browser.driver().manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
    return (List<String>)
        browser
            .driver()
            .executeAsyncScript(
                axe
                    + ";\nconst done = arguments[arguments.length - 1];"
                    + " axe.run(document, {resultTypes: ['violations']}).then(r => done("
                    + " r.violations.filter(v => v.impact === 'serious' || v.impact"
                    + " === 'critical').map(v => v.id + ': ' + v.help + ' ' +"
                    + " v.nodes.map(n => n.target.join(' ')).join(' | '))));");
  }

  /**
   * What only some see passes too: a private room's panel (invite link, members) to its owner, and
   * a moderator's ban form with the badge that says they moderate, in both languages.
   */
  @Test
  void theOwnersPanelAndTheModeratorsControlsPassToo() throws Exception {
    String axe = axe();
    String room = Api.freshRoom("a11y-private");
    String owner = "owner-" + UUID.randomUUID().toString().substring(0, 4);
    try (Browser browser = Browser.launch()) {
      var driver = browser.driver();
      ChatPage page = ChatPage.open(browser, server, Api.freshRoom("a11y-before"));
      page.chooseNick(owner);
      page.createPrivateRoom(room);
      Await.until(
          "the owner's list of members",
          ChatPage.WAIT,
          () -> driver.findElement(By.id("members")).getText().contains(owner));
      page.send("only for members");
      page.awaitTexts(List.of("only for members"));
      for (String language : List.of("en", "zh-CN")) {
        page.chooseLanguage(language);
        assertEquals(List.of(), violations(browser, axe), "the owner's panel, " + language);
      }
      browser.screenshot("a11y-private-room");
    }
    String plain = Api.freshRoom("a11y-moderated");
    api.post(plain, "carol", "something to ban for");
    try (Browser browser = Browser.launch()) {
      var driver = browser.driver();
      ChatPage page = ChatPage.open(browser, server, plain);
      page.typeNick(SharedServer.MODERATOR);
      Await.until(
          "the secret's field",
          ChatPage.WAIT,
          () -> driver.findElement(By.id("secret")).isDisplayed());
      assertEquals(List.of(), violations(browser, axe), "the secret's field");
      driver.findElement(By.id("secret")).sendKeys(SharedServer.MODERATOR_TOKEN, Keys.ENTER);
      try {
        Await.until(
            "the moderator's controls",
            ChatPage.WAIT,
            () -> !driver.findElements(By.cssSelector("button[data-action='ban']")).isEmpty());
        driver.findElement(By.cssSelector("button[data-action='ban']")).click();
        for (String language : List.of("zh-CN", "en")) {
          page.chooseLanguage(language);
          if (driver.findElements(By.cssSelector(".ban-form")).isEmpty()) {
            driver.findElement(By.cssSelector("button[data-action='ban']")).click();
          }
          assertEquals(List.of(), violations(browser, axe), "a moderator's ban form, " + language);
        }
        browser.screenshot("a11y-moderator");
      } finally {
        driver.findElement(By.id("sign-out")).click();
        Await.until(
            "the moderator's name to be free",
            ChatPage.WAIT,
            () -> !driver.findElement(By.id("moderator-badge")).isDisplayed());
      }
    }
  }

  @Test
  void axeFindsNoSeriousViolationInEitherSchemeWidthOrLanguage() throws Exception {
    String axe = axe();
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
          for (String language : List.of("en", "zh-CN")) {
            ChatPage page = ChatPage.open(browser, server, room);
            if (page.nick().isEmpty()) {
              page.chooseNick(nick);
              page.send("my own message");
              page.awaitLastTexts(List.of("my own message"));
            }
            page.chooseLanguage(language);
            Await.until(
                "the live region to be quiet no more once caught up",
                ChatPage.WAIT,
                () ->
                    page.script("return document.getElementById('log').getAttribute('aria-busy');")
                        == null);
            String where = scheme + ", " + size.getWidth() + " px wide, " + language;
            assertEquals(List.of(), violations(browser, axe), where);
            browser.screenshot("a11y-" + scheme + "-" + size.getWidth() + "-" + language);
          }
        }
      }
    }
  }
}
