package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Scrolling back through a room's whole kept history in headless Chromium, against a Tomcat that
 * keeps more messages than the page ever holds: the page reaches the first message and comes back
 * to the live end, with never more than its bound of messages in the document, each once and in
 * order, and a message that came meanwhile waiting for the reader at the bottom.
 */
class PageHistoryIT {

  /** How many messages the room holds; bench/page-history.sh asks for 10,000. */
  private static final int MESSAGES = Integer.getInteger("parley.page-history.messages", 2_000);

  /** The page's bound (state.js's MAX_MESSAGES). */
  private static final int MOST_SHOWN = 500;

  /** Pages of 100 there are, and some to spare. */
  private static int mostPages() {
    return MESSAGES / 100 + 10;
  }

  @Test
  void theWholeHistoryScrollsByWithABoundedPageAndLeadsBackToTheLiveEnd() {
    try (ParleyServer server =
            new ParleyServer(
                    "page-history",
                    Map.of(
                        "parley.history.size", Integer.toString(MESSAGES + 100),
                        "parley.limit.posts-per-second", "100000",
                        "parley.limit.posts-burst", "100000"))
                .start();
        Browser browser = Browser.launch()) {
      Api api = new Api(server);
      String room = Api.freshRoom("long");
      for (int i = 1; i <= MESSAGES; i++) {
        api.post(room, "writer", "m" + i);
      }
      ChatPage page = ChatPage.open(browser, server, room);
      page.awaitLastTexts(List.of("m" + MESSAGES));
      Map<String, Double> atStart = performance(browser);

      int most = 0;
      int back = 0;
      for (int pages = 0; !beginningShown(page); pages++, back++) {
        assertTrue(pages < mostPages(), "the beginning never came: " + firstAndLast(page));
        String first = page.texts().get(0);
        page.script("document.getElementById('scroller').scrollTop = 0;");
        Await.until(
            "an older page above " + first,
            ChatPage.WAIT,
            () -> beginningShown(page) || !page.texts().get(0).equals(first));
        most = Math.max(most, shownItems(page));
      }
      Map<String, Double> atTop = performance(browser);
      List<String> top = page.texts();
      assertEquals(expected(1, top.size()), top, "the first messages, each once, in order");
      assertEquals(MOST_SHOWN, top.size());

      // Meanwhile a message comes: it waits below, and the page says so.
      api.post(room, "writer", "came meanwhile");
      Await.until(
          "the page to point at new messages",
          ChatPage.WAIT,
          () -> browser.driver().findElement(By.id("new-messages")).isDisplayed());
      assertEquals(top, page.texts(), "the reader's place stays");

      int forth = 0;
      for (int pages = 0; !lastText(page).equals("came meanwhile"); pages++, forth++) {
        assertTrue(pages < mostPages(), "the live end never came: " + firstAndLast(page));
        String last = lastText(page);
        page.script("const s = document.getElementById('scroller'); s.scrollTop = s.scrollHeight;");
        Await.until(
            "a newer page below " + last, ChatPage.WAIT, () -> !lastText(page).equals(last));
        most = Math.max(most, shownItems(page));
      }
      List<String> bottom = page.texts();
      List<String> newest = expected(MESSAGES - bottom.size() + 2, MESSAGES);
      assertEquals(newest, bottom.subList(0, bottom.size() - 1), "the newest, each once, in order");
      assertTrue(most <= MOST_SHOWN, "at most " + MOST_SHOWN + " in the page, was " + most);

      // Back at the live end, the page follows new messages again.
      api.post(room, "writer", "and after");
      page.awaitLastTexts(List.of("came meanwhile", "and after"));
      Map<String, Double> atEnd = performance(browser);
      double busy =
          (atEnd.get("ScriptDuration")
                  + atEnd.get("LayoutDuration")
                  + atEnd.get("RecalcStyleDuration"))
              - (atStart.get("ScriptDuration")
                  + atStart.get("LayoutDuration")
                  + atStart.get("RecalcStyleDuration"));
      System.out.printf(
          "PageHistoryIT: %d messages, %d pages back and %d forth; at most %d messages in the"
              + " document; DOM nodes %.0f at the live end, %.0f at the first message, %.0f back at"
              + " the live end; JS heap used %.1f, %.1f, %.1f MiB; script, style and layout %.1f ms"
              + " a page on average%n",
          MESSAGES,
          back,
          forth,
          most,
          atStart.get("Nodes"),
          atTop.get("Nodes"),
          atEnd.get("Nodes"),
          atStart.get("JSHeapUsedSize") / (1 << 20),
          atTop.get("JSHeapUsedSize") / (1 << 20),
          atEnd.get("JSHeapUsedSize") / (1 << 20),
          busy * 1000 / Math.max(1, back + forth));
    }
  }

  /** Chromium's own counts for the tab: DOM nodes, JS heap, time spent in script and layout. */
  @SuppressWarnings("unchecked")
  private static Map<String, Double> performance(Browser browser) {
    browser.driver().executeCdpCommand("Performance.enable", Map.of());
    List<Map<String, Object>> metrics =
        (List<Map<String, Object>>)
            browser.driver().executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
    return metrics.stream()
        .collect(
            java.util.stream.Collectors.toMap(
                metric -> (String) metric.get("name"),
                metric -> ((Number) metric.get("value")).doubleValue()));
  }

  private static List<String> expected(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
  }

  private static boolean beginningShown(ChatPage page) {
    return Boolean.TRUE.equals(
        page.script(
            "const edge = document.getElementById('history-edge');"
                + " return !edge.hidden && edge.textContent === 'The beginning of this room';"));
  }

  /** The message items in the document, whatever the page's state says. */
  private static int shownItems(ChatPage page) {
    return ((Number) page.script("return document.querySelectorAll('li.message').length;"))
        .intValue();
  }

  private static String lastText(ChatPage page) {
    List<String> texts = page.texts();
    return texts.get(texts.size() - 1);
  }

  private static String firstAndLast(ChatPage page) {
    List<String> texts = page.texts();
    return texts.get(0) + " … " + texts.get(texts.size() - 1) + " (" + texts.size() + ")";
  }
}
