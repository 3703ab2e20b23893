package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The chat page's rooms and roles in headless Chromium against the WAR on a real Tomcat: a private
 * room made, shared by its invite link and managed by its owner; a moderator who signs in with
 * their secret, deletes and bans; mentions notified while the tab is hidden; the whole page used
 * from the keyboard alone.
 */
@ExtendWith(SharedServer.class)
class PageRoomsIT {

  private final ParleyServer server;
  private final Api api;

  PageRoomsIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  private static String fresh(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 4);
  }

  private static String value(ChromeDriver driver, String id) {
    return driver.findElement(By.id(id)).getDomProperty("value");
  }

  private static boolean shown(ChromeDriver driver, String id) {
    return driver.findElement(By.id(id)).isDisplayed();
  }

  /** The message item on the page whose text is {@code text}. */
  private static WebElement item(ChromeDriver driver, String text) {
    return driver.findElements(By.cssSelector("#messages > li.message")).stream()
        .filter(li -> li.findElement(By.className("text")).getText().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message " + text));
  }

  @Test
  void aPrivateRoomIsMadeSharedByItsInviteLinkAndManagedByItsOwner() {
    String room = Api.freshRoom("secret");
    String owner = fresh("owner");
    String guest = fresh("guest");
    try (Browser ownerBrowser = Browser.launch();
        Browser guestBrowser = Browser.launch();
        Browser strangerBrowser = Browser.launch()) {
      ChromeDriver ownerDriver = ownerBrowser.driver();
      ChatPage ownerPage = ChatPage.open(ownerBrowser, server, Api.freshRoom("before"));
      ownerPage.chooseNick(owner);
      ownerPage.createPrivateRoom(room);
      ownerPage.awaitState("connected");
      assertTrue(ownerPage.url().toString().endsWith("#/room/" + room), ownerPage.url().toString());
      String invite = value(ownerDriver, "invite-link");
      assertTrue(invite.contains("?room=" + room + "#invite=pi_"), invite);

      // Without the link the room is not there.
      ChromeDriver strangerDriver = strangerBrowser.driver();
      strangerDriver.get(server.uri().resolve("#/room/" + room).toString());
      ChatPage stranger = new ChatPage(strangerDriver);
      Await.until(
          "the stranger to be told the room is not there for them",
          ChatPage.WAIT,
          () -> stranger.notice().contains("private: ask its owner for an invite link"));
      assertFalse(stranger.notice().contains("invite="));

      // With it, one joins once they have a nick; the secret leaves the address at once.
      ChromeDriver guestDriver = guestBrowser.driver();
      guestDriver.get(invite);
      ChatPage guestPage = new ChatPage(guestDriver);
      Await.until(
          "the guest to be asked for a nick",
          ChatPage.WAIT,
          () -> guestPage.nickError().contains("to join #" + room));
      assertFalse(guestPage.url().toString().contains("invite"), guestPage.url().toString());
      guestPage.chooseNick(guest);
      guestPage.awaitState("connected");
      ownerPage.send("welcome, " + guest);
      guestPage.awaitTexts(List.of("welcome, " + guest));
      guestPage.send("glad to be here");
      ownerPage.awaitLastTexts(List.of("glad to be here"));
      assertTrue(shown(guestDriver, "leave-room"), "a member may leave");
      assertFalse(shown(guestDriver, "owner-tools"), "only the owner manages");

      // The owner sees the members and removes the guest, whose stream ends with a word why.
      Await.until(
          "the owner's list of members to name the guest",
          ChatPage.WAIT,
          () -> ownerDriver.findElement(By.id("members")).getText().contains(guest));
      ownerDriver.findElement(By.cssSelector("#members button[data-nick='" + guest + "']")).click();
      Await.until(
          "the guest to be told they are no longer a member",
          ChatPage.WAIT,
          () -> guestPage.notice().contains("no longer a member"));
      guestPage.awaitState("offline"); // its browser came back and was refused
      Await.until(
          "the owner's list to drop the guest",
          ChatPage.WAIT,
          () -> !ownerDriver.findElement(By.id("members")).getText().contains(guest));

      // A new link: the old one lets nobody in any more.
      ownerDriver.findElement(By.id("new-invite")).click();
      Await.until(
          "a new invite link",
          ChatPage.WAIT,
          () -> !value(ownerDriver, "invite-link").equals(invite));
      // Its refused reconnections have not replaced the server's word with "ask for a link".
      assertTrue(guestPage.notice().contains("no longer a member"), guestPage.notice());
    }
  }

  @Test
  void aModeratorSignsInWithTheirSecretDeletesAnyMessageAndBans() {
    String room = Api.freshRoom("moderated");
    String bob = fresh("bob");
    try (Browser bobBrowser = Browser.launch();
        Browser moderatorBrowser = Browser.launch()) {
      ChatPage bobPage = ChatPage.open(bobBrowser, server, room);
      bobPage.chooseNick(bob);
      bobPage.send("spam spam spam");
      bobPage.send("buy now");
      bobPage.awaitTexts(List.of("spam spam spam", "buy now"));

      ChromeDriver moderator = moderatorBrowser.driver();
      ChatPage moderatorPage = ChatPage.open(moderatorBrowser, server, room);
      moderatorPage.awaitTexts(List.of("spam spam spam", "buy now"));
      assertFalse(shown(moderator, "secret"), "no field for a secret until a name needs one");
      assertTrue(
          moderator.findElements(By.cssSelector("#messages button[data-action]")).isEmpty(),
          "nobody but authors and moderators sees actions");
      moderatorPage.typeNick(SharedServer.MODERATOR);
      Await.until(
          "the field for the name's secret", ChatPage.WAIT, () -> shown(moderator, "secret"));
      assertTrue(moderatorPage.nickError().contains("reserved"), moderatorPage.nickError());
      moderator.findElement(By.id("secret")).sendKeys("not-the-secret", Keys.ENTER);
      Await.until(
          "a wrong secret to be refused",
          ChatPage.WAIT,
          () -> moderatorPage.nickError().contains("not this name"));
      WebElement secret = moderator.findElement(By.id("secret"));
      secret.clear();
      secret.sendKeys(SharedServer.MODERATOR_TOKEN, Keys.ENTER);
      try {
        Await.until(
            "the page to say its person moderates",
            ChatPage.WAIT,
            () -> shown(moderator, "moderator-badge"));
        assertFalse(shown(moderator, "secret"), "the secret's field goes once signed in");
        moderatorPage.awaitOnline(List.of(bob, SharedServer.MODERATOR));

        item(moderator, "spam spam spam")
            .findElement(By.cssSelector("button[data-action='delete']"))
            .click();
        bobPage.awaitTexts(List.of("buy now"));
        moderatorPage.awaitTexts(List.of("buy now"));

        item(moderator, "buy now").findElement(By.cssSelector("button[data-action='ban']")).click();
        WebElement form = moderator.findElement(By.cssSelector("#messages .ban-form"));
        assertTrue(form.getText().contains("Ban " + bob + " for"), form.getText());
        form.findElement(By.cssSelector("button[type='submit']")).click();
        Await.until(
            "bob to be told he is banned",
            ChatPage.WAIT,
            () -> bobPage.notice().contains("banned you from this room until"));
        Await.until(
            "the moderator to be told the ban is made",
            ChatPage.WAIT,
            () -> moderatorPage.sendError().contains(bob + " is banned"));
        bobPage.send("let me speak");
        Await.until(
            "bob's post to be refused",
            ChatPage.WAIT,
            () -> bobPage.sendError().contains("banned"));
      } finally {
        moderator.findElement(By.id("sign-out")).click();
        Await.until(
            "the moderator's name to be free",
            ChatPage.WAIT,
            () -> !shown(moderator, "moderator-badge"));
      }
    }
  }

  /**
   * Someone who opted in is notified of a message naming them while their tab is hidden; not of
   * others. What the page shows as notifications is recorded by the browser's own Notification,
   * wrapped before the page loads.
   */
  @Test
  void anOptedInReaderIsNotifiedOfMentionsWhileTheTabIsHidden() {
    String room = Api.freshRoom("notify");
    String reader = fresh("reader");
    try (Browser browser = Browser.launchRecordingNotifications()) {
      ChromeDriver driver = browser.driver();
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(reader);
      driver.executeCdpCommand(
          "Browser.grantPermissions",
          Map.of(
              "origin",
              server.uri().resolve("/").toString().replaceAll("/$", ""),
              "permissions",
              List.of("notifications")));
      driver.findElement(By.id("notify")).click();
      Await.until(
          "the choice to be kept",
          ChatPage.WAIT,
          () -> "1".equals(page.script("return localStorage.getItem('parley.notify')")));
      String chatTab = driver.getWindowHandle();
      driver.switchTo().newWindow(WindowType.TAB);
      api.post(room, "poster", "nothing for you");
      api.post(room, "poster", "@" + reader + " look at this");
      // Both came while the chat's tab was hidden: its title counts them.
      Await.until(
          "two unread in the hidden tab's title (titles: " + browser.tabTitles() + ")",
          ChatPage.WAIT,
          () -> browser.tabTitles().contains("(2) #" + room + " · Parley"));
      driver.close();
      driver.switchTo().window(chatTab);
      page.awaitLastTexts(List.of("nothing for you", "@" + reader + " look at this"));
      Await.until(
          "one notification, of the mention (there were "
              + page.script("return window.notified")
              + ")",
          ChatPage.WAIT,
          () ->
              List.of("poster mentioned you in #" + room + "|@" + reader + " look at this")
                  .equals(page.script("return window.notified")));
    }
  }

  /** Everything a person does on the page, done with the keyboard alone: Tab, typing, Enter. */
  @Test
  void thePageWorksFromTheKeyboardAlone() {
    String room = Api.freshRoom("keys");
    String other = Api.freshRoom("keys-other");
    String nick = fresh("keyboard");
    try (Browser browser = Browser.launch()) {
      ChromeDriver driver = browser.driver();
      ChatPage page = ChatPage.open(browser, server, room);
      page.awaitState("connected");
      Keyboard keys = new Keyboard(driver);
      keys.tabTo("nick");
      keys.type(nick, Keys.ENTER);
      page.awaitOnline(List.of(nick));
      // The page's first stop skips the side bar to the message box.
      keys.tabBackTo("skip");
      keys.type(Keys.ENTER);
      assertEquals(
          "text", driver.switchTo().activeElement().getDomAttribute("id"), "skipped to the box");
      keys.type("typed, not clicked", Keys.ENTER);
      page.awaitTexts(List.of("typed, not clicked"));

      // Its own message's Edit button, just before the box (Shift+Tab), opens the editor; Enter
      // saves.
      keys.tabBackTo("[data-action='edit']");
      keys.type(Keys.ENTER);
      keys.selectAllAndType("typed and edited", Keys.ENTER);
      page.awaitTexts(List.of("typed and edited"));

      // Another room, by the join field; back by the room list's link.
      keys.tabTo("room-name");
      keys.type(other, Keys.ENTER);
      Await.until(
          "the other room", ChatPage.WAIT, () -> page.url().toString().endsWith("#/room/" + other));
      page.awaitState("connected");
      String link = "a[href='#/room/" + room + "']";
      keys.tabTo(link);
      keys.type(Keys.ENTER);
      page.awaitTexts(List.of("typed and edited"));

      // The room list is drawn again whenever presence changes: the focus stays on the link.
      try (SseClient visitor =
          SseClient.open(server, "api/rooms/" + room + "/events?nick=" + fresh("visitor"), null)) {
        assertEquals("connected", visitor.next(ChatPage.WAIT).type());
        Await.until(
            "the room list counting the visitor",
            ChatPage.WAIT,
            () ->
                String.valueOf(
                        driver.executeScript(
                            "return document.querySelector('#rooms ' + arguments[0])"
                                + "?.parentElement.textContent",
                            link))
                    .contains("2 online"));
        assertTrue(
            (Boolean)
                driver.executeScript("return document.activeElement.matches(arguments[0])", link),
            "the focus after the list was drawn again");
      }

      // The language, by its switch.
      keys.tabTo("language");
      keys.type(Keys.ARROW_DOWN);
      Await.until(
          "the page in Chinese",
          ChatPage.WAIT,
          () -> "zh-CN".equals(driver.findElement(By.tagName("html")).getDomAttribute("lang")));
      assertEquals("退出", driver.findElement(By.id("sign-out")).getText());
      keys.tabTo("sign-out");
      keys.type(Keys.ENTER);
      Await.until("signed out", ChatPage.WAIT, () -> !shown(driver, "sign-out"));
    }
  }

  /**
   * Presses Tab (or Shift+Tab) until the focus is on what a person looks for (by id, or a CSS
   * selector): fails if the page's Tab order never reaches it. Keys go to whatever has the focus,
   * as a keyboard's do (through WebDriver's actions, not to an element it must first find usable).
   */
  private record Keyboard(ChromeDriver driver) {

    /** Enough for every control of the page with the room list full (50 rooms). */
    private static final int MOST_TABS = 150;

    void tabTo(String target) {
      walk(target, false);
    }

    void tabBackTo(String target) {
      walk(target, true);
    }

    private void walk(String target, boolean back) {
      String selector = target.matches("[a-z-]+") ? "#" + target : target;
      for (int i = 0; i < MOST_TABS; i++) {
        if (Boolean.TRUE.equals(
            driver.executeScript(
                "return document.activeElement?.matches(arguments[0]) ?? false", selector))) {
          return;
        }
        if (back) {
          new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        } else {
          type(Keys.TAB);
        }
      }
      throw new AssertionError("the keyboard never reached " + selector);
    }

    void type(CharSequence... keys) {
      new Actions(driver).sendKeys(keys).perform();
    }

    void selectAllAndType(CharSequence... keys) {
      new Actions(driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).perform();
      type(keys);
    }
  }
}
