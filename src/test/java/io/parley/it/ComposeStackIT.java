package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;

/**
 * The repo's docker-compose.yml, run for real ({@link ComposeStack}): Redis, two Tomcat nodes, a
 * Payara node and nginx, each in a container built from {@code docker/}, and headless Chromium
 * through nginx. Two people chat and see each other, an integration posts with its token, a reload
 * shows exactly what was said; one Tomcat node's container is killed and every stream comes back
 * through the others with nothing lost; Redis killed and started again on its AOF volume keeps what
 * it acknowledged; and the stack goes down leaving no container, network or volume.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "tok-stack-" + UUID.randomUUID().toString().substring(0, 8);

  private ComposeStack stack;
  private Api api;
  private final String room = Api.freshRoom("stack");
  private final List<Browser> browsers = new ArrayList<>();
  private final List<ChatPage> pages = new ArrayList<>();
  private final List<String> said = new ArrayList<>();

  @BeforeAll
  void up() throws Exception {
    ComposeStack.requireTools();
    long started = System.nanoTime();
    stack = ComposeStack.up(Map.of("PARLEY_TOKENS", "stack-bot:" + TOKEN));
    System.out.printf(
        "ComposeStackIT: the stack was built and healthy in %d s%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
    api = new Api(stack.uri());
  }

  /** Notes a failed test, so that the stack's logs are shown before it goes down. */
  @RegisterExtension
  final TestWatcher failures =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  private volatile boolean failed;

  @AfterAll
  void down() {
    browsers.forEach(Browser::close);
    if (stack != null && failed) {
      System.out.println(stack.compose(Duration.ofMinutes(1), "logs", "--no-color", "--tail=100"));
    }
    if (stack != null) {
      stack.close();
      assertEquals(List.of(), stack.leftovers(), "what the stack left behind");
    }
  }

  private ChatPage openPage() {
    Browser browser = Browser.launch();
    browsers.add(browser);
    ChatPage page = ChatPage.open(browser, stack.uri(), room);
    pages.add(page);
    return page;
  }

  /** Posts through nginx until the post is stored, under one key: a retry stores nothing twice. */
  private Message post(String author, String text, Map<String, String> headers) {
    String key = UUID.randomUUID().toString();
    Message[] stored = new Message[1];
    Await.until(
        "the post of " + text + " to be stored",
        WAIT,
        () -> {
          Map<String, String> all = new java.util.HashMap<>(headers);
          all.put("Content-Type", "application/json");
          all.put("Idempotency-Key", key);
          try {
            HttpResponse<String> answer =
                api.sendWith(
                    "POST",
                    "api/rooms/" + room + "/messages",
                    all,
                    Api.JSON
                        .toJson(Map.of("author", author, "text", text))
                        .getBytes(StandardCharsets.UTF_8));
            if (answer.statusCode() == 201 || answer.statusCode() == 200) {
              stored[0] = Api.JSON.fromJson(answer.body(), Message.class);
              return true;
            }
            assertTrue(answer.statusCode() >= 500, answer.statusCode() + " " + answer.body());
            return false;
          } catch (UncheckedIOException notNow) {
            return false;
          }
        });
    said.add(text);
    return stored[0];
  }

  /**
   * Streams open in the room on one node, as that node's metrics say (read inside its container).
   */
  private double streamsOn(String service) {
    String metrics =
        stack.podman(
            "exec", stack.container(service), "curl", "-fsS", "http://127.0.0.1:8080/api/metrics");
    return Metrics.parse(metrics).openStreams(room);
  }

  @Test
  @Order(1)
  void twoPeopleChatThroughNginxAndAReloadShowsExactlyWhatWasSaid() {
    String alice = "alice-" + UUID.randomUUID().toString().substring(0, 4);
    String bob = "bob-" + UUID.randomUUID().toString().substring(0, 4);
    ChatPage alicePage = openPage();
    ChatPage bobPage = openPage();
    alicePage.chooseNick(alice);
    bobPage.chooseNick(bob);
    alicePage.awaitOnline(List.of(alice, bob));
    bobPage.awaitOnline(List.of(alice, bob));

    alicePage.send("hello " + bob);
    said.add("hello " + bob);
    bobPage.awaitTexts(said);
    bobPage.send("hi " + alice);
    said.add("hi " + alice);
    alicePage.awaitTexts(said);

    Message fromBot = post("stack-bot", "deployed", Map.of("Authorization", "Bearer " + TOKEN));
    assertTrue(fromBot.integration(), "posted with the token");
    alicePage.awaitTexts(said);
    Await.until(
        "the integration's badge",
        WAIT,
        () ->
            !browsers
                .get(0)
                .driver()
                .findElements(By.cssSelector("#messages li.from-integration"))
                .isEmpty());

    browsers.get(1).driver().navigate().refresh();
    post("carol", "while bob reloads", Map.of());
    new ChatPage(browsers.get(1).driver()).awaitState("connected");
    bobPage.awaitTexts(said);
  }

  @Test
  @Order(2)
  void aKilledTomcatNodesStreamsComeBackThroughTheOthersWithNothingLost() {
    // Pages until a Tomcat node holds one of them (nginx spreads them over three nodes).
    String victim = null;
    while (victim == null) {
      for (String service : List.of("tomcat-1", "tomcat-2")) {
        if (victim == null && streamsOn(service) > 0) {
          victim = service;
        }
      }
      if (victim == null) {
        assertTrue(pages.size() < 8, "no page's stream went to a Tomcat node");
        openPage().awaitTexts(said);
      }
    }
    int streams = pages.size();
    stack.podman("kill", stack.container(victim));
    for (int i = 1; i <= 5; i++) {
      post("dave", "after the kill " + i, Map.of());
    }
    for (ChatPage page : pages) {
      page.awaitTexts(said);
    }
    String killed = victim;
    Await.until(
        "every stream to be open again on the nodes left",
        WAIT,
        () ->
            List.of("tomcat-1", "tomcat-2", "payara").stream()
                    .filter(service -> !service.equals(killed))
                    .mapToDouble(this::streamsOn)
                    .sum()
                == streams);
  }

  @Test
  @Order(3)
  void redisRestartedOnItsAofVolumeKeepsWhatItAcknowledged() {
    List<String> acknowledged = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      acknowledged.add(post("erin", "kept " + i, Map.of()).id());
    }
    // Redis keeps nothing but its AOF (no RDB snapshots): what it reads back comes from there.
    stack.podman("restart", stack.container("redis"));
    Await.until(
        "the history, read through nginx, to hold every acknowledged message",
        WAIT,
        () -> {
          try {
            return api.history(room, "?limit=100").stream()
                .map(Message::id)
                .toList()
                .containsAll(acknowledged);
          } catch (AssertionError | UncheckedIOException notYet) {
            return false;
          }
        });
    for (ChatPage page : pages) {
      page.awaitTexts(said);
    }
  }
}
