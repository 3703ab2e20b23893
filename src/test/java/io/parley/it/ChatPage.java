package io.parley.it;

import io.parley.Await;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** The chat page in one tab, seen and used the way a person does: through its labelled controls. */
final class ChatPage {

  static final Duration WAIT = Duration.ofSeconds(20);

  /** A message as the page shows it. */
  record Shown(String id, String author, String text) {}

  private final ChromeDriver driver;

  ChatPage(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Opens a room's page in the current tab and waits until it is connected. */
  static ChatPage open(Browser browser, ParleyServer server, String room) {
    return open(browser, server.uri(), room);
  }

  /** Opens a room's page served at {@code base} (a server, or a proxy in front of servers). */
  static ChatPage open(Browser browser, java.net.URI base, String room) {
    ChatPage page = new ChatPage(browser.driver());
    page.driver.get(base.resolve("#/room/" + room).toString());
    page.awaitState("connected");
    return page;
  }

  void chooseNick(String nick) {
    WebElement field = labelled("Nickname");
    field.clear();
    field.sendKeys(nick, Keys.ENTER);
    Await.until("the page to show " + nick + " online", WAIT, () -> online().contains(nick));
  }

  /**
   * Makes a private room with the join field and its Private box, and waits until the page shows
   * its invite link; the page then goes to the room.
   */
  void createPrivateRoom(String room) {
    driver.findElement(By.id("room-private")).click();
    driver.findElement(By.id("room-name")).sendKeys(room, Keys.ENTER);
    Await.until(
        "the invite link of " + room,
        WAIT,
        () ->
            driver.findElement(By.id("invite")).isDisplayed()
                && Objects.requireNonNull(
                        driver.findElement(By.id("invite-link")).getDomProperty("value"))
                    .contains("#invite="));
  }

  /** Types a nickname and presses Enter, whatever comes of it. */
  void typeNick(String nick) {
    WebElement field = labelled("Nickname");
    field.clear();
    field.sendKeys(nick, Keys.ENTER);
  }

  /** What the page says next to the nickname field, or "". */
  String nickError() {
    WebElement error = driver.findElement(By.id("nick-error"));
    return error.isDisplayed() ? error.getText() : "";
  }

  String nick() {
    return driver.findElement(By.id("nick")).getDomProperty("value");
  }

  /**
   * Types a message in the box labelled "Message" (Shift+Enter between lines) and presses Enter.
   */
  void send(String text) {
    WebElement box = labelled("Message");
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        box.sendKeys(Keys.chord(Keys.SHIFT, Keys.ENTER));
      }
      box.sendKeys(lines[i]);
    }
    box.sendKeys(Keys.ENTER);
  }

  /** Presses Enter in the message box: sends what is in it. */
  void pressEnter() {
    labelled("Message").sendKeys(Keys.ENTER);
  }

  /** Presses Enter in the message box found by its id (whatever language its label is in). */
  void pressEnterById() {
    driver.findElement(By.id("text")).sendKeys(Keys.ENTER);
  }

  /** Presses Enter twice in a row, as an impatient person does. */
  void pressEnterTwice() {
    labelled("Message").sendKeys(Keys.ENTER, Keys.ENTER);
  }

  /** Puts text in the message box at once, as a paste does. */
  void paste(String text) {
    driver.executeScript("arguments[0].value = arguments[1];", labelled("Message"), text);
  }

  String draft() {
    return labelled("Message").getDomProperty("value");
  }

  String sendError() {
    WebElement error = driver.findElement(By.id("send-error"));
    return error.isDisplayed() ? error.getText() : "";
  }

  /** The connection state the page shows: connecting, connected, reconnecting or offline. */
  String state() {
    return driver.findElement(By.id("connection")).getDomAttribute("data-state");
  }

  void awaitState(String state) {
    Await.until(
        "the page to be " + state + " (it is " + state() + ")", WAIT, () -> state.equals(state()));
  }

  @SuppressWarnings("unchecked")
  List<Shown> messages() {
    List<List<String>> rows =
        (List<List<String>>)
            driver.executeScript(
                "return [...document.querySelectorAll('#messages > li.message')].map(li =>"
                    + " [li.dataset.id, li.querySelector('.author').textContent, li.querySelector('.text').textContent]);");
    return rows.stream().map(row -> new Shown(row.get(0), row.get(1), row.get(2))).toList();
  }

  /** The texts the page shows as still on their way. */
  @SuppressWarnings("unchecked")
  List<String> pendingTexts() {
    return (List<String>)
        driver.executeScript(
            "return [...document.querySelectorAll('#pending .text')].map(p => p.textContent);");
  }

  List<String> texts() {
    return messages().stream().map(Shown::text).toList();
  }

  /** Waits until the page shows exactly these texts, in this order. */
  void awaitTexts(List<String> expected) {
    Await.until(
        "the page to show " + expected + " (it shows " + texts() + ")",
        WAIT,
        () -> texts().equals(expected));
  }

  /** Waits until the page's last messages are these texts. */
  void awaitLastTexts(List<String> expected) {
    Await.until(
        "the page to end with " + expected + " (it shows " + texts() + ")",
        WAIT,
        () -> {
          List<String> texts = texts();
          return texts.size() >= expected.size()
              && texts.subList(texts.size() - expected.size(), texts.size()).equals(expected);
        });
  }

  @SuppressWarnings("unchecked")
  List<String> online() {
    return (List<String>)
        driver.executeScript(
            "return [...document.querySelectorAll('#online > li')].map(li => li.firstChild.textContent);");
  }

  void awaitOnline(List<String> expected) {
    Await.until(
        "the page to show online " + expected + " (it shows " + online() + ")",
        WAIT,
        () -> online().equals(expected));
  }

  /** The notice above the messages (after a reset), or "" when there is none. */
  String notice() {
    WebElement notice = driver.findElement(By.id("notice"));
    return notice.isDisplayed() ? notice.getText() : "";
  }

  Object script(String script, Object... arguments) {
    return driver.executeScript(script, arguments);
  }

  URI url() {
    return URI.create(Objects.requireNonNull(driver.getCurrentUrl()));
  }

  /** Picks the page's language in its switch (en, zh-CN). */
  void chooseLanguage(String tag) {
    new Select(driver.findElement(By.id("language"))).selectByValue(tag);
    Await.until(
        "the page to speak " + tag,
        WAIT,
        () -> tag.equals(driver.findElement(By.tagName("html")).getDomAttribute("lang")));
  }

  /** The text of an element, by its id. */
  String textOf(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  /** Who the page says is typing ("alice is typing…"), or "". */
  String typing() {
    return textOf("typing");
  }

  private WebElement labelled(String label) {
    WebElement labelElement =
        driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
    return driver.findElement(By.id(labelElement.getDomAttribute("for")));
  }
}
