package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

/** The chat page in headless Chromium against the WAR on a real Tomcat. */
@ExtendWith(SharedServer.class)
class ChatPageIT {

  /**
   * The nicks of this test: fresh ones, since choosing a nick on the page holds it (a session) on a
   * server other tests share.
   */
  private final String aliceNick = fresh("alice");

  private final String bobNick = fresh("bob");
  private final String boNick = fresh("bo");
  private final String imeNick = fresh("ime");
  private final String mallorybNick = fresh("mallory<b>");
  private final String octopusNick = fresh("octopus");
  private final String walkerNick = fresh("walker");
  private final String verboseNick = fresh("verbose");
  private final String travellerNick = fresh("traveller");
  private final String impatientNick = fresh("impatient");
  private final String pocketNick = fresh("pocket");
  private final String wandererNick = fresh("wanderer");

  private static String fresh(String base) {
    return base + "-" + UUID.randomUUID().toString().substring(0, 4);
  }

  private final ParleyServer server;
  private final Api api;

  ChatPageIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  @Test
  void twoPeopleChatAndEachSeesBothMessagesInOrderOnce() {
    String room = Api.freshRoom("chat");
    try (Browser aliceBrowser = Browser.launch();
        Browser bobBrowser = Browser.launch()) {
      ChatPage alice = ChatPage.open(aliceBrowser, server, room);
      alice.chooseNick(aliceNick);
      ChatPage bob = ChatPage.open(bobBrowser, server, room);
      bob.chooseNick(bobNick);

      alice.send("Hello Bob <3");
      bob.awaitTexts(List.of("Hello Bob <3"));
      bob.send("Hi Alice!\nHow are you?");
      List<String> both = List.of("Hello Bob <3", "Hi Alice!\nHow are you?");
      alice.awaitTexts(both);
      bob.awaitTexts(both);
      assertEquals(
          List.of(aliceNick, bobNick),
          alice.messages().stream().map(ChatPage.Shown::author).toList());
      assertEquals(
          alice.messages(), bob.messages(), "both pages show the same messages with the same ids");
      assertEquals("", alice.draft(), "the box clears once the post succeeded");
      aliceBrowser.screenshot("chat-alice");
      bobBrowser.screenshot("chat-bob");

      // The nickname is remembered, and the room's history is there on arrival.
      aliceBrowser.driver().navigate().refresh();
      ChatPage again = new ChatPage(aliceBrowser.driver());
      again.awaitState("connected");
      assertEquals(aliceNick, again.nick());
      again.awaitTexts(both);
    }
  }

  /**
   * Only an integration's posts carry its badge: a person who takes a name like it (here one the
   * server does not reserve, on a server without that integration) gets none.
   */
  @Test
  void integrationPostsCarryABadgeAndOthersDoNot(@SharedServer.Guarded ParleyServer guarded) {
    String room = Api.freshRoom("badge");
    Api guardedApi = new Api(guarded);
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, guarded, room);
      java.net.http.HttpResponse<String> bot =
          guardedApi.sendWith(
              "POST",
              "api/rooms/" + room + "/messages",
              java.util.Map.of(
                  "Content-Type",
                  "application/json",
                  "Authorization",
                  "Bearer " + SharedServer.BOT_TOKEN),
              "{\"text\":\"deployed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(201, bot.statusCode(), bot.body());
      guardedApi.sendWith(
          "POST",
          "api/rooms/" + room + "/messages",
          java.util.Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.55.0.1"),
          "{\"author\":\"ci-bot-official\",\"text\":\"trust me\"}"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      page.awaitTexts(List.of("deployed", "trust me"));
      List<WebElement> items =
          browser.driver().findElements(By.cssSelector("#messages li.message"));
      assertEquals(
          "integration",
          items.get(0).findElement(By.cssSelector(".badge")).getText().toLowerCase(Locale.ROOT));
      assertTrue(
          items.get(1).findElements(By.cssSelector(".badge")).isEmpty(),
          "a person's post has no badge");
      browser.screenshot("integration-badge");
    }
  }

  @Test
  void aMessagePostedWithRestAppearsInAnOpenPageWithLinksThatCannotReachBack() {
    String room = Api.freshRoom("rest");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      api.post(room, "ci-bot", "Build 42 passed: https://ci.example.org/builds/42.");
      page.awaitTexts(List.of("Build 42 passed: https://ci.example.org/builds/42."));
      assertEquals("ci-bot", page.messages().get(0).author());

      WebElement link = browser.driver().findElement(By.cssSelector("#messages a"));
      assertEquals(
          "https://ci.example.org/builds/42",
          link.getDomAttribute("href"),
          "the full stop is not part of the link");
      assertEquals("noopener noreferrer", link.getDomAttribute("rel"));
      assertTrue(browser.driver().getTitle().contains("#" + room), browser.driver().getTitle());
      browser.screenshot("rest-post");
    }
  }

  /** An author's edit and deletion, made through the API, change an open page in place. */
  @Test
  void editsAndDeletionsMadeElsewhereChangeTheOpenPage() {
    String room = Api.freshRoom("changes");
    Map<String, String> alice = api.person("alice");
    Map<String, String> auth = Map.of("Authorization", alice.get("Authorization"));
    Map<String, String> json = new HashMap<>(auth);
    json.put("Content-Type", "application/json");
    String messages = "api/rooms/" + room + "/messages";
    List<String> ids = new ArrayList<>();
    for (String text : List.of("first", "secnd", "third")) {
      HttpResponse<String> posted =
          api.sendWith(
              "POST", messages, json, Api.JSON.toJson(Map.of("text", text)).getBytes(UTF_8));
      ids.add(Api.JSON.fromJson(posted.body(), Message.class).id());
    }
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.awaitTexts(List.of("first", "secnd", "third"));
      api.sendWith(
          "PATCH",
          messages + "/" + ids.get(1),
          json,
          Api.JSON.toJson(Map.of("text", "second")).getBytes(UTF_8));
      api.sendWith("DELETE", messages + "/" + ids.get(0), auth, null);
      page.awaitTexts(List.of("second", "third"));
      assertEquals(
          1,
          browser.driver().findElements(By.cssSelector("#messages .edited")).size(),
          "the edited message says so");
      // A page opened now shows the room as it stands.
      ChatPage.open(browser, server, room).awaitTexts(List.of("second", "third"));
    }
  }

  /**
   * Two people chat, one reading Chinese: every word of that page is Chinese (and stays so after a
   * reload), refusals included, and each sees who is typing until they send.
   */
  @Test
  void aPersonReadingChineseSeesThePageInChineseAndWhoIsTyping() {
    String room = Api.freshRoom("zh");
    try (Browser aliceBrowser = Browser.launch();
        Browser boBrowser = Browser.launch()) {
      ChatPage alice = ChatPage.open(aliceBrowser, server, room);
      alice.chooseNick(aliceNick);
      ChatPage bo = ChatPage.open(boBrowser, server, room);
      bo.chooseNick(boNick);
      bo.chooseLanguage("zh-CN");
      assertEquals("已连接", bo.textOf("connection"));
      assertEquals(
          "发送", boBrowser.driver().findElement(By.cssSelector("#send-form button")).getText());
      assertTrue(bo.textOf("online").contains(boNick + " （你）"), bo.textOf("online"));
      boBrowser.driver().navigate().refresh();
      Await.until(
          "the language to be remembered",
          ChatPage.WAIT,
          () ->
              "zh-CN"
                  .equals(
                      boBrowser.driver().findElement(By.tagName("html")).getDomAttribute("lang")));
      bo.awaitState("connected");

      aliceBrowser.driver().findElement(By.id("text")).sendKeys("你好");
      Await.until(
          "bo to see alice typing", ChatPage.WAIT, () -> bo.typing().equals(aliceNick + " 正在输入…"));
      assertEquals("", alice.typing(), "nobody is told they type themselves");
      aliceBrowser.driver().findElement(By.id("text")).sendKeys(Keys.ENTER);
      bo.awaitTexts(List.of("你好"));
      Await.until("the typing line to empty", ChatPage.WAIT, () -> bo.typing().isEmpty());

      bo.script(
          "document.getElementById('text').value = arguments[0]; return null;", "x".repeat(2001));
      bo.pressEnterById();
      Await.until("a refusal in Chinese", ChatPage.WAIT, () -> !bo.sendError().isEmpty());
      assertEquals("未发送：消息太长。", bo.sendError());
      boBrowser.screenshot("zh-CN");
    }
  }

  /**
   * Enter while an input method composes (Chrome's isComposing, Safari's keyCode 229) sends
   * nothing.
   */
  @Test
  void anEnterWhileAnInputMethodComposesSendsNothing() {
    String room = Api.freshRoom("ime");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(imeNick);
      browser
          .driver()
          .executeScript(
              "const box = document.getElementById('text');"
                  + "box.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));"
                  + "box.value = 'ni';"
                  + "box.dispatchEvent(new CompositionEvent('compositionupdate', {data: 'ni'}));"
                  + "box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, bubbles: true, cancelable: true}));"
                  + "const safari = new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true});"
                  + "Object.defineProperty(safari, 'keyCode', {get: () => 229});"
                  + "box.dispatchEvent(safari);"
                  + "box.value = '你';"
                  + "box.dispatchEvent(new CompositionEvent('compositionend', {data: '你'}));");
      page.pressEnter();
      page.awaitTexts(List.of("你"));
      assertEquals(1, api.history(room, "").size(), "composing Enters sent nothing");
    }
  }

  /** People edit and delete their own messages, from the page, and every page shows the change. */
  @Test
  void peopleEditAndDeleteTheirOwnMessagesOnThePage() {
    String room = Api.freshRoom("own");
    try (Browser aliceBrowser = Browser.launch();
        Browser bobBrowser = Browser.launch()) {
      ChatPage alice = ChatPage.open(aliceBrowser, server, room);
      alice.chooseNick(aliceNick);
      ChatPage bob = ChatPage.open(bobBrowser, server, room);
      bob.chooseNick(bobNick);
      alice.send("helo");
      alice.send("oops");
      bob.awaitTexts(List.of("helo", "oops"));
      assertEquals(
          List.of(),
          bobBrowser.driver().findElements(By.cssSelector("#messages button[data-action]")),
          "nothing to change in someone else's messages");

      List<WebElement> mine =
          aliceBrowser.driver().findElements(By.cssSelector("#messages li.mine"));
      mine.get(0).findElement(By.cssSelector("button[data-action='edit']")).click();
      WebElement editor =
          aliceBrowser.driver().findElement(By.cssSelector("#messages .editor textarea"));
      editor.clear();
      editor.sendKeys("hello", Keys.ENTER);
      bob.awaitTexts(List.of("hello", "oops"));
      alice.awaitTexts(List.of("hello", "oops"));
      assertEquals(1, bobBrowser.driver().findElements(By.cssSelector("#messages .edited")).size());

      aliceBrowser
          .driver()
          .findElements(By.cssSelector("#messages li.mine"))
          .get(1)
          .findElement(By.cssSelector("button[data-action='delete']"))
          .click();
      bob.awaitTexts(List.of("hello"));
      alice.awaitTexts(List.of("hello"));
      aliceBrowser.screenshot("edited");
    }
  }

  /**
   * Choosing a nickname holds it: it survives a reload, someone else is told in place that it is
   * held, and signing out lets it go.
   */
  @Test
  void aNicknameIsHeldAcrossReloadsAndSignOutReleasesIt() {
    String room = Api.freshRoom("held");
    try (Browser aliceBrowser = Browser.launch();
        Browser otherBrowser = Browser.launch()) {
      ChatPage alice = ChatPage.open(aliceBrowser, server, room);
      alice.chooseNick(aliceNick);
      aliceBrowser.driver().navigate().refresh();
      ChatPage again = new ChatPage(aliceBrowser.driver());
      again.awaitState("connected");
      again.awaitOnline(List.of(aliceNick));
      assertEquals(aliceNick, again.nick());

      ChatPage other = ChatPage.open(otherBrowser, server, room);
      other.typeNick(aliceNick.toUpperCase(Locale.ROOT));
      Await.until(
          "a refusal next to the nickname", ChatPage.WAIT, () -> !other.nickError().isEmpty());
      assertEquals("Someone else holds this nickname. Choose another.", other.nickError());
      assertEquals(List.of(aliceNick), other.online(), "the look-alike did not join");
      assertProblem(
          api.sendWith(
              "POST",
              "api/rooms/" + room + "/messages",
              Map.of("Content-Type", "application/json"),
              Api.JSON.toJson(Map.of("author", aliceNick, "text", "me?")).getBytes(UTF_8)),
          403);

      aliceBrowser.driver().findElement(By.id("sign-out")).click();
      Await.until("alice to leave", ChatPage.WAIT, () -> other.online().isEmpty());
      other.chooseNick(aliceNick);
      assertEquals("", other.nickError());
    }
  }

  /**
   * The room list counts the messages that came in a room since the reader last saw it, and marks
   * the room when one mentions them.
   */
  @Test
  void theRoomListCountsUnreadMessagesAndMarksMentions() {
    String busy = Api.freshRoom("0unread");
    String quiet = Api.freshRoom("0quiet");
    String nick = "reader" + busy.substring(busy.length() - 4);
    api.post(busy, "carol", "before");
    try (Browser browser = Browser.launch();
        Browser other = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, busy);
      page.chooseNick(nick);
      page.awaitTexts(List.of("before"));
      page.script("location.hash = '#/room/" + quiet + "'; return null;");
      page.awaitState("connected");
      api.post(busy, "carol", "one");
      api.post(busy, "carol", "two, @" + nick);
      // Someone else arrives in the room shown: a presence change, and the list is read again.
      ChatPage.open(other, server, quiet).chooseNick(nick + "-2");
      Await.until(
          "the busy room to count 2 unread and a mention (list: " + page.textOf("rooms") + ")",
          ChatPage.WAIT,
          () ->
              "2 @"
                  .equals(
                      page.script(
                          "const a = [...document.querySelectorAll('#rooms a')]"
                              + ".find(a => a.textContent === '#' + arguments[0]);"
                              + " const li = a ? a.parentElement : null;"
                              + " return li ? (li.querySelector('.unread')?.textContent ?? '') + ' '"
                              + " + (li.querySelector('.mentioned')?.textContent ?? '') : '';",
                          busy)));
      page.script("location.hash = '#/room/" + busy + "'; return null;");
      page.awaitTexts(List.of("before", "one", "two, @" + nick));
      assertEquals(
          1,
          browser
              .driver()
              .findElements(By.cssSelector("#messages li.mentions-me mark.mention"))
              .size(),
          "the mention of the reader is marked");
    }
  }

  @Test
  void presenceShowsBothNicknamesAndOneLeavesWhenItsPageCloses() {
    String room = Api.freshRoom("presence");
    try (Browser aliceBrowser = Browser.launch()) {
      ChatPage alice = ChatPage.open(aliceBrowser, server, room);
      alice.chooseNick(aliceNick);
      try (Browser bobBrowser = Browser.launch()) {
        ChatPage bob = ChatPage.open(bobBrowser, server, room);
        bob.chooseNick(bobNick);
        alice.awaitOnline(List.of(aliceNick, bobNick));
        bob.awaitOnline(List.of(aliceNick, bobNick));
        Await.until(
            "the room list to count 2 online",
            ChatPage.WAIT,
            () -> roomListEntry(alice, room).contains("2 online"));
        aliceBrowser.screenshot("presence-both");
      }
      alice.awaitOnline(List.of(aliceNick));
      aliceBrowser.screenshot("presence-after-bob-left");
    }
  }

  @Test
  void htmlAndScriptInMessagesAreShownAsTextAndRunNothing() {
    String room = Api.freshRoom("xss");
    List<String> payloads =
        List.of(
            "<img src=x onerror=\"window.parleyXss = 'img'\">",
            "<script>window.parleyXss = 'script'</script>",
            "<a href=\"javascript:window.parleyXss='link'\">click</a> javascript:alert(1)");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(mallorybNick);
      api.post(room, "<i>eve</i>", payloads.get(0));
      api.post(room, "eve", payloads.get(1));
      page.send(payloads.get(2));
      page.awaitTexts(payloads);
      assertEquals(
          List.of("<i>eve</i>", "eve", mallorybNick),
          page.messages().stream().map(ChatPage.Shown::author).toList());
      assertEquals(
          0L,
          page.script(
              "return document.querySelectorAll('#messages img, #messages script, #messages i, #messages b').length;"));
      assertEquals(
          0L,
          page.script("return document.querySelectorAll('#messages a').length;"),
          "javascript: is never made a link");
      browser.driver().findElement(By.cssSelector("#messages li:last-child .text")).click();
      assertEquals(true, page.script("return window.parleyXss === undefined;"), "no payload ran");
      browser.screenshot("xss-as-text");
    }
  }

  @Test
  void eightTabsOfOneBrowserShareOneStreamAndAllReceiveANewMessage() {
    String room = Api.freshRoom("tabs");
    try (Browser browser = Browser.launch()) {
      ChatPage first = ChatPage.open(browser, server, room);
      first.chooseNick(octopusNick);
      List<String> tabs = new ArrayList<>(List.of(browser.driver().getWindowHandle()));
      for (int i = 1; i < 8; i++) {
        browser.driver().switchTo().newWindow(WindowType.TAB);
        ChatPage.open(browser, server, room);
        tabs.add(browser.driver().getWindowHandle());
      }
      // Eight EventSources would take all six connections the browser allows per host: the
      // seventh and eighth tab would never connect, and no tab could POST.
      api.post(room, "ci-bot", "to every tab");
      new ChatPage(browser.driver()).send("from the eighth tab");
      List<String> expected = List.of("to every tab", "from the eighth tab");
      for (String tab : tabs) {
        browser.driver().switchTo().window(tab);
        ChatPage page = new ChatPage(browser.driver());
        page.awaitTexts(expected);
        assertEquals("connected", page.state());
      }
      assertEquals(
          List.of(octopusNick),
          new ChatPage(browser.driver()).online(),
          "one browser, one nickname, online once");
      browser.screenshot("eight-tabs");
    }
  }

  @Test
  void withoutSharedWorkerEachTabStreamsOnItsOwn() {
    String room = Api.freshRoom("no-worker");
    try (Browser browser = Browser.launchWithoutSharedWorker()) {
      ChatPage first = ChatPage.open(browser, server, room);
      assertEquals("undefined", first.script("return typeof SharedWorker;"));
      first.chooseNick(walkerNick);
      String firstTab = browser.driver().getWindowHandle();
      browser.driver().switchTo().newWindow(WindowType.TAB);
      ChatPage second = ChatPage.open(browser, server, room);
      second.send("from the second tab");
      second.awaitTexts(List.of("from the second tab"));
      browser.driver().switchTo().window(firstTab);
      first.awaitTexts(List.of("from the second tab"));
    }
  }

  @Test
  void aFailedPostKeepsTheTextAndShowsTheServersExplanation() {
    String room = Api.freshRoom("failed");
    String tooLong = "x".repeat(2001);
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(verboseNick);
      page.paste(tooLong);
      page.pressEnter();
      Await.until(
          "an error next to the message box", ChatPage.WAIT, () -> !page.sendError().isEmpty());
      assertEquals("Not sent: the message is too long.", page.sendError());
      assertEquals(tooLong, page.draft(), "the text is kept");
      assertEquals(List.of(), page.texts());
      browser.screenshot("failed-post");

      page.paste("short enough");
      page.pressEnter();
      page.awaitTexts(List.of("short enough"));
      Await.until("the error to go", ChatPage.WAIT, () -> page.sendError().isEmpty());
      assertEquals("", page.draft());
    }
  }

  @Test
  void withoutNetworkThePageSaysOfflineAndAPostThatCannotGoOutGoesOnceTheNetworkIsBack() {
    String room = Api.freshRoom("offline");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(travellerNick);
      network(browser, false);
      page.awaitState("offline");
      page.send("sent from a tunnel");
      Await.until(
          "a word next to the message box", ChatPage.WAIT, () -> !page.sendError().isEmpty());
      assertEquals(
          "Not sent yet: waiting for the network. It goes out by itself, once.", page.sendError());
      assertEquals(List.of("sent from a tunnel"), page.pendingTexts(), "shown as on its way");
      assertEquals("", page.draft());
      browser.screenshot("offline");

      network(browser, true);
      page.awaitState("connected");
      page.awaitTexts(List.of("sent from a tunnel"));
      Await.until("nothing left on its way", ChatPage.WAIT, () -> page.pendingTexts().isEmpty());
      Await.until("the word to go", ChatPage.WAIT, () -> page.sendError().isEmpty());
      assertEquals(1, api.history(room, "").size(), "stored once, whatever the retries");
    }
  }

  private static void network(Browser browser, boolean online) {
    network(browser, online, 0);
  }

  private static void network(Browser browser, boolean online, int latencyMillis) {
    browser.driver().executeCdpCommand("Network.enable", java.util.Map.of());
    browser
        .driver()
        .executeCdpCommand(
            "Network.emulateNetworkConditions",
            java.util.Map.of(
                "offline",
                !online,
                "latency",
                latencyMillis,
                "downloadThroughput",
                -1,
                "uploadThroughput",
                -1));
  }

  /**
   * A double Enter on a slow network posts once: the page sends one post at a time, each under its
   * own key.
   */
  @Test
  void aDoubleEnterPostsOnce() {
    String room = Api.freshRoom("double-enter");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(impatientNick);
      network(browser, true, 400);
      page.paste("only once, please");
      page.pressEnterTwice();
      page.awaitTexts(List.of("only once, please"));
      network(browser, true, 0);
      new Api(server).post(room, "observer", "after it");
      page.awaitTexts(List.of("only once, please", "after it"));
      assertEquals(
          List.of("only once, please", "after it"),
          new Api(server)
              .history(room, "?limit=10").stream().map(io.parley.core.Message::text).toList(),
          "stored once");
    }
  }

  @Test
  void theViewFollowsNewMessagesUnlessThePersonScrolledUp() {
    String room = Api.freshRoom("scroll");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      List<String> texts = IntStream.rangeClosed(1, 40).mapToObj(i -> "line " + i).toList();
      texts.forEach(text -> api.post(room, "poster", text));
      page.awaitTexts(texts);
      Await.until("the view to follow to the bottom", ChatPage.WAIT, () -> atBottom(page));

      page.script("document.getElementById('scroller').scrollTop = 0;");
      api.post(room, "poster", "while reading");
      page.awaitLastTexts(List.of("while reading"));
      WebElement marker = browser.driver().findElement(By.id("new-messages"));
      Await.until("the new messages marker", ChatPage.WAIT, marker::isDisplayed);
      assertFalse(atBottom(page), "the view stays where the person is reading");
      browser.screenshot("new-messages-marker");

      marker.click();
      assertTrue(atBottom(page));
      assertFalse(marker.isDisplayed());
    }
  }

  @Test
  void fitsAPhoneScreen() {
    String room = Api.freshRoom("phone");
    try (Browser browser = Browser.launch()) {
      browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
      ChatPage page = ChatPage.open(browser, server, room);
      page.chooseNick(pocketNick);
      page.send("from a phone");
      page.awaitTexts(List.of("from a phone"));
      assertEquals(
          true,
          page.script("return document.documentElement.scrollWidth <= window.innerWidth;"),
          "no sideways scrolling");
      assertTrue(browser.driver().findElement(By.id("text")).isDisplayed());
      browser.screenshot("phone");
    }
  }

  @Test
  void aLinkOpensItsRoomAndTheJoinFieldSwitchesRooms() {
    String first = Api.freshRoom("link");
    String second = Api.freshRoom("joined");
    api.post(first, "host", "welcome to the first room");
    try (Browser browser = Browser.launch()) {
      browser.driver().get(server.uri().resolve("?room=" + first).toString());
      ChatPage page = new ChatPage(browser.driver());
      page.awaitState("connected");
      page.awaitTexts(List.of("welcome to the first room"));
      page.chooseNick(wandererNick);

      WebElement join = browser.driver().findElement(By.id("room-name"));
      join.sendKeys(second, org.openqa.selenium.Keys.ENTER);
      Await.until(
          "the URL to name the room",
          ChatPage.WAIT,
          () -> page.url().toString().endsWith("#/room/" + second));
      page.awaitTexts(List.of());
      page.awaitOnline(List.of(wandererNick));
      page.send("hello second room");
      page.awaitTexts(List.of("hello second room"));
      assertEquals(
          List.of("hello second room"),
          api.history(second, "").stream().map(io.parley.core.Message::text).toList());
      assertTrue(browser.driver().getTitle().contains("#" + second), browser.driver().getTitle());

      browser.driver().navigate().back();
      page.awaitTexts(List.of("welcome to the first room"));
    }
  }

  @Test
  void theTitleCountsUnreadMessagesWhileTheTabIsHidden() {
    String room = Api.freshRoom("unread");
    try (Browser browser = Browser.launch()) {
      ChatPage page = ChatPage.open(browser, server, room);
      String chatTab = browser.driver().getWindowHandle();
      // A second tab in front hides the chat's tab; the driver stays on the second one, since
      // switching to a tab brings it to the front. Titles of other tabs are read through DevTools.
      browser.driver().switchTo().newWindow(WindowType.TAB);
      api.post(room, "poster", "one");
      api.post(room, "poster", "two");
      Await.until(
          "two unread in the hidden tab's title (titles: " + browser.tabTitles() + ")",
          ChatPage.WAIT,
          () -> browser.tabTitles().contains("(2) #" + room + " · Parley"));

      browser.driver().close();
      browser.driver().switchTo().window(chatTab);
      page.awaitTexts(List.of("one", "two"));
      Await.until(
          "the title to drop the count once the tab is seen",
          ChatPage.WAIT,
          () -> browser.driver().getTitle().equals("#" + room + " · Parley"));
    }
  }

  @Test
  void followsTheSystemsDarkSetting() {
    String room = Api.freshRoom("dark");
    try (Browser browser = Browser.launch()) {
      browser
          .driver()
          .executeCdpCommand(
              "Emulation.setEmulatedMedia",
              java.util.Map.of(
                  "features",
                  List.of(java.util.Map.of("name", "prefers-color-scheme", "value", "dark"))));
      ChatPage page = ChatPage.open(browser, server, room);
      assertEquals(
          "rgb(23, 24, 26)",
          page.script("return getComputedStyle(document.body).backgroundColor;"));
      browser.screenshot("dark");
      browser
          .driver()
          .executeCdpCommand(
              "Emulation.setEmulatedMedia",
              java.util.Map.of(
                  "features",
                  List.of(java.util.Map.of("name", "prefers-color-scheme", "value", "light"))));
      assertEquals(
          "rgb(250, 250, 250)",
          page.script("return getComputedStyle(document.body).backgroundColor;"));
    }
  }

  private static boolean atBottom(ChatPage page) {
    return (Boolean)
        page.script(
            "const s = document.getElementById('scroller'); return s.scrollHeight - s.scrollTop - s.clientHeight <= 2;");
  }

  private static String roomListEntry(ChatPage page, String room) {
    return (String)
        page.script(
            "const a = [...document.querySelectorAll('#rooms a')].find(a => a.textContent === '#' + arguments[0]);"
                + " return a ? a.parentElement.textContent : '';",
            room);
  }
}
