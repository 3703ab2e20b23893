package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.chat.RoomInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/rooms} lists rooms with messages or people online, a page at a time, and names
 * merely listened to are not listed; opening streams is rate-limited per client. A server of its
 * own, so that its list holds only this test's rooms, with 127.0.0.1 as a trusted proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomsIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int OPENS_BURST = 20;
  private static final int OPENS_PER_SECOND = 2;

  /** Clients by X-Forwarded-For (127.0.0.1 is a trusted proxy here), so each test has its own. */
  private final AtomicInteger clients = new AtomicInteger();

  private ParleyServer server;
  private Api api;

  @BeforeAll
  void start() {
    server =
        new ParleyServer(
                "rooms",
                Map.of(
                    "parley.room.idle-seconds", "2",
                    "parley.heartbeat.seconds", "1",
                    "parley.limit.stream-opens-per-second", Integer.toString(OPENS_PER_SECOND),
                    "parley.limit.stream-opens-burst", Integer.toString(OPENS_BURST),
                    "parley.trusted-proxies", "127.0.0.1"))
            .start();
    api = new Api(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void roomsArePagedByNameAndOnlyThoseWithMessagesOrPeopleOnlineAreListed() {
    List<String> withMessages = List.of("page-a", "page-b", "page-c", "page-d", "page-e");
    for (String room : withMessages) {
      api.post(room, "alice", "hello " + room);
    }
    try (SseClient online = SseClient.open(server, "api/rooms/page-bb/events?nick=bob", null);
        SseClient anonymous = SseClient.open(server, "api/rooms/page-ba/events", null)) {
      online.next(event -> event.is("presence"), WAIT);
      anonymous.next(event -> event.is("presence"), WAIT);
      List<String> seen = new ArrayList<>();
      String next = "api/rooms?limit=2&after=page";
      int pages = 0;
      while (next != null) {
        HttpResponse<String> page = api.get(next);
        assertEquals(200, page.statusCode(), page.body());
        List<RoomInfo> rooms = Api.JSON.fromJson(page.body(), Api.listOf(RoomInfo.class));
        assertTrue(rooms.size() <= 2);
        rooms.forEach(room -> seen.add(room.name()));
        next = nextLink(page);
        pages++;
      }
      assertEquals(
          List.of("page-a", "page-b", "page-bb", "page-c", "page-d", "page-e"),
          seen,
          "rooms with messages and with someone online, not one merely listened to");
      assertEquals(3, pages);
      List<RoomInfo> afterB =
          Api.JSON.fromJson(
              api.get("api/rooms?after=page-b&limit=1").body(), Api.listOf(RoomInfo.class));
      RoomInfo bobs = afterB.get(0);
      assertEquals(RoomInfo.listed("page-bb", 1, null), bobs);
    }
    assertProblem(api.get("api/rooms?limit=0"), 400);
    assertProblem(api.get("api/rooms?limit=1001"), 400);
    assertProblem(api.get("api/rooms?after=Not%20A%20Room"), 400);
  }

  /**
   * Opening streams is rate-limited per client (a burst, then 2 a second), however short-lived they
   * are: the client is refused once it has opened the burst and what the rate gave back meanwhile
   * (counted from the time the opens took, so a slow machine does not make the test fail).
   */
  @Test
  void openingStreamsFasterThanTheRateIs429WithRetryAfter() {
    String client = newClient();
    long started = System.nanoTime();
    for (int i = 0; i < OPENS_BURST; i++) {
      QuickStreams.openAndClose(server, "api/rooms/opens-" + i + "/events", client);
    }
    int more = 0;
    while (true) {
      try (SseClient next =
          SseClient.openWith(
              server,
              "api/rooms/opens-more-" + more + "/events",
              Map.of("X-Forwarded-For", client))) {
        if (next.status() == 429) {
          assertTrue(Long.parseLong(next.header("Retry-After")) >= 1);
          assertTrue(next.header("Content-Type").startsWith("application/problem+json"));
          break;
        }
        assertEquals(200, next.status());
      }
      more++;
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(
          more <= 1 + OPENS_PER_SECOND * seconds,
          "opened " + (OPENS_BURST + more) + " in " + seconds + " s: the rate would have refused");
    }
    QuickStreams.openAndClose(
        server, "api/rooms/opens-other/events", newClient()); // another client is not limited
    Await.until(
        "the rate to let the client open again",
        WAIT,
        () -> {
          try (SseClient again =
              SseClient.openWith(
                  server, "api/rooms/opens-again/events", Map.of("X-Forwarded-For", client))) {
            return again.status() == 200;
          }
        });
  }

  private String newClient() {
    return client(clients.incrementAndGet());
  }

  private static String client(int n) {
    return "10." + (88 + n / 62500) + "." + (n / 250 % 250) + "." + (n % 250 + 1);
  }

  private static String nextLink(HttpResponse<String> page) {
    for (String link : page.headers().allValues("Link")) {
      Matcher next = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
      if (next.find()) {
        String uri = next.group(1);
        return uri.substring(uri.indexOf("/api/") + 1);
      }
    }
    return null;
  }
}
