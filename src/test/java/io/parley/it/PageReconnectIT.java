package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The page across a server restart: it shows that it is reconnecting, resumes, and misses nothing.
 */
class PageReconnectIT {

  /** Fewer than the messages posted while the page is away: only a real resume shows them all. */
  private static final int REPLAY_SIZE = 3;

  /**
   * Longer than a restart takes, so the browser's next try comes after the messages posted
   * meanwhile and the page has to resume to show them (it would show them live otherwise).
   */
  private static final int RETRY_MILLIS = 12_000;

  @Test
  void afterARestartThePageResumesAndShowsWhatWasPostedMeanwhileExactlyOnce() {
    String room = Api.freshRoom("restart");
    try (ParleyServer server =
            new ParleyServer(
                    "page-restart",
                    Map.of(
                        "parley.replay.size", Integer.toString(REPLAY_SIZE),
                        "parley.retry.millis", Integer.toString(RETRY_MILLIS),
                        "parley.heartbeat.seconds", "1"))
                .start();
        Browser browser = Browser.launch()) {
      Api api = new Api(server);
      List<String> expected = new ArrayList<>();
      ChatPage page = ChatPage.open(browser, server, room);
      String patient = "patient-" + UUID.randomUUID().toString().substring(0, 4);
      page.chooseNick(patient);
      for (String text : List.of("before 1", "before 2")) {
        api.post(room, "poster", text);
        expected.add(text);
      }
      page.awaitTexts(expected);

      server.stop();
      Await.until(
          "the page to show it is reconnecting (it is " + page.state() + ")",
          ChatPage.WAIT,
          () -> List.of("reconnecting", "offline").contains(page.state()));
      browser.screenshot("restart-reconnecting");

      server.start();
      List<String> meanwhile =
          IntStream.rangeClosed(1, REPLAY_SIZE + 3).mapToObj(i -> "meanwhile " + i).toList();
      meanwhile.forEach(text -> api.post(room, "poster", text));
      expected.addAll(meanwhile);

      Await.until(
          "the page to come back",
          Duration.ofMillis(2 * RETRY_MILLIS),
          () -> "connected".equals(page.state()));
      page.awaitTexts(expected);
      assertEquals("", page.notice(), "a resume, not a reset");
      page.awaitOnline(List.of(patient));
      browser.screenshot("restart-resumed");

      api.post(room, "poster", "after");
      expected.add("after");
      page.awaitTexts(expected);
    }
  }

  @Test
  void whenTheServerLostTheHistoryThePageSaysSoAndStartsOverFromWhatTheServerSends() {
    String room = Api.freshRoom("lost");
    try (ParleyServer server =
            new ParleyServer("page-reset", Map.of("parley.heartbeat.seconds", "1")).start();
        Browser browser = Browser.launch()) {
      Api api = new Api(server);
      ChatPage page = ChatPage.open(browser, server, room);
      api.post(room, "poster", "old 1");
      api.post(room, "poster", "old 2");
      page.awaitTexts(List.of("old 1", "old 2"));
      assertEquals("", page.notice());

      server.stop();
      server.wipeData();
      server.start();
      api.post(room, "poster", "new 1");

      page.awaitState("connected");
      page.awaitTexts(List.of("new 1"));
      Await.until(
          "the page to say the history was reset", ChatPage.WAIT, () -> !page.notice().isEmpty());
      assertEquals(
          "The server no longer knows where you left off: showing the latest messages.",
          page.notice());
      browser.screenshot("reset-notice");
    }
  }
}
