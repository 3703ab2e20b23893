package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import io.parley.stream.EventEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SSE stream of a room on a real Tomcat, read by real clients on sockets. */
@ExtendWith(SharedServer.class)
class StreamIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int POSTS = 240;

  private final ParleyServer server;
  private final Api api;

  StreamIT(ParleyServer server) {
    this.server = server;
    this.api = new Api(server);
  }

  private static String events(String room) {
    return "api/rooms/" + room + "/events";
  }

  /**
   * HTTP/1.0 knows no chunks: such a client reads the stream as it is, until the connection closes.
   */
  @Test
  void anHttp10ClientGetsTheStreamWithoutChunks() {
    String room = Api.freshRoom("http10");
    RawHttp.Answer answer =
        RawHttp.exchange(
            server, "GET /" + events(room) + " HTTP/1.0\r\nAccept: text/event-stream", null);
    assertEquals(200, answer.status());
    assertNull(answer.header("Transfer-Encoding"));
    assertTrue(answer.body().startsWith("event: connected\n"), answer.body());
  }

  /**
   * A client that leaves closes its end; the server must then let the connection go (a half-closed
   * connection left open kept Tomcat's poller busy with it). Read from the kernel's socket table.
   */
  @Test
  void theServerLetsGoOfTheConnectionOfAClientThatLeft() throws Exception {
    Sockets.assumeReadable();
    String room = Api.freshRoom("leaving");
    for (int i = 0; i < 5; i++) {
      try (SseClient client = SseClient.open(server, events(room), null)) {
        assertEquals("connected", client.next(WAIT).type());
      }
    }
    Await.until(
        "no half-closed connection on the server's port",
        WAIT,
        () -> Sockets.halfClosed(server.port()) == 0);
  }

  /**
   * A stream is an asynchronous request: Weld's request-context guard used to log five warnings for
   * each one (WELD-000714/000715/000225/000335) when the container ended it on another thread.
   */
  @Test
  void streamsThatComeAndGoLeaveNoWarningsInTheLog() {
    String room = Api.freshRoom("quiet");
    for (int i = 0; i < 20; i++) {
      try (SseClient client = SseClient.open(server, events(room) + "?nick=q" + i, null)) {
        assertEquals("connected", client.next(WAIT).type());
      }
      api.post(room, "poster", "between streams " + i);
    }
    Await.until("the streams to end", WAIT, () -> Metrics.openStreams(api, room) == 0);
    String logs = server.logs();
    for (String warning : List.of("WELD-000714", "WELD-000715", "WELD-000225", "WELD-000335")) {
      assertTrue(!logs.contains(warning), warning + " in the server log");
    }
  }

  @Test
  void streamStartsWithHeadersRetryConnectedAndPresence() {
    String room = Api.freshRoom("headers");
    try (SseClient client = SseClient.open(server, events(room) + "?nick=alice", null)) {
      assertEquals(200, client.status());
      assertTrue(
          client.header("Content-Type").startsWith("text/event-stream"),
          client.header("Content-Type"));
      assertEquals("no-cache", client.header("Cache-Control"));
      assertEquals("no", client.header("X-Accel-Buffering"));

      SseEvent connected = client.next(WAIT);
      assertEquals("connected", connected.type());
      assertEquals(3000L, connected.retry());
      assertNull(connected.id());
      EventEncoder.Connected data = Api.read(connected, EventEncoder.Connected.class);
      assertEquals(room, data.room());
      assertNotNull(data.connectionId());

      SseEvent presence = client.next(WAIT);
      assertEquals("presence", presence.type());
      assertNull(presence.id());
      assertEquals(List.of("alice"), Api.read(presence, EventEncoder.Presence.class).online());
    }
  }

  /** Every test here runs on a Tomcat renamed as hardening guides advise; this one checks it is. */
  @Test
  void theServerIsNotKnownByItsName() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        server.container() instanceof Container.Tomcat, "a Tomcat renames itself here");
    assertTrue(
        server.logs().contains("Server version name:   " + Container.Tomcat.RENAMED),
        "the server was renamed");
    String room = Api.freshRoom("renamed");
    Message posted = api.post(room, "alice", "on a server of another name");
    try (SseClient client = SseClient.open(server, events(room), null)) {
      assertEquals("chunked", client.header("Transfer-Encoding"));
      assertEquals(List.of(posted.id()), eventIds(client.messages(1, WAIT)));
    }
  }

  @Test
  void newClientGetsTheLatestMessagesThenLiveOnesWithIds() {
    String room = Api.freshRoom("replay");
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      posted.add(api.post(room, "alice", "message " + i));
    }
    try (SseClient client = SseClient.open(server, events(room), null)) {
      List<SseEvent> replay = client.messages(50, WAIT);
      assertEquals(ids(posted.subList(10, 60)), eventIds(replay));
      Message live = api.post(room, "bob", "live one");
      SseEvent next = client.next(event -> event.is("message"), WAIT);
      assertEquals(live.id(), next.id());
      assertEquals(live, Api.read(next, Message.class));
    }
  }

  @Test
  void clientsReceiveTheSameMessagesInTheSameOrderWhilePostersRace() throws Exception {
    String room = Api.freshRoom("order");
    List<SseClient> clients = new ArrayList<>();
    ExecutorService posters = Executors.newFixedThreadPool(3);
    try {
      for (int i = 0; i < 4; i++) {
        SseClient client = SseClient.open(server, events(room), null);
        client.next(event -> event.is("connected"), WAIT);
        clients.add(client);
      }
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        int poster = p;
        done.add(
            posters.submit(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    api.post(room, "poster" + poster, "message " + i);
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      List<String> expected = ids(api.history(room, "?limit=75"));
      assertEquals(75, expected.size());
      for (SseClient client : clients) {
        assertEquals(expected, eventIds(client.messages(75, WAIT)));
      }
    } finally {
      posters.shutdownNow();
      clients.forEach(SseClient::close);
    }
  }

  @Test
  void resumeWithLastEventIdIsExactAcrossForcedDisconnectsWhilePostsContinue() throws Exception {
    String room = Api.freshRoom("resume");
    List<String> posted = Collections.synchronizedList(new ArrayList<>());
    List<String> received = new ArrayList<>();
    AtomicInteger receivedCount = new AtomicInteger();
    ExecutorService poster = Executors.newSingleThreadExecutor();
    try {
      String last = null;
      Future<?> posting = null;
      for (int round = 0; round < 12; round++) {
        try (SseClient client = SseClient.open(server, events(room), last)) {
          if (posting == null) {
            client.next(event -> event.is("connected"), WAIT);
            // Posts run on while the client reconnects, but never so far ahead that the
            // room's history (100) would no longer reach back to the client's last id.
            posting =
                poster.submit(
                    () -> {
                      for (int i = 0; i < POSTS; i++) {
                        Await.until(
                            "the reader to catch up",
                            WAIT,
                            () -> posted.size() - receivedCount.get() < 40);
                        posted.add(api.post(room, "poster", "message " + i).id());
                      }
                    });
          }
          for (SseEvent message : client.messages(5 + round, WAIT)) {
            received.add(message.id());
            receivedCount.incrementAndGet();
            last = message.id();
          }
        }
      }
      try (SseClient client = SseClient.open(server, events(room), last)) {
        while (received.size() < POSTS) {
          received.add(client.next(event -> event.is("message"), WAIT).id());
          receivedCount.incrementAndGet();
        }
        posting.get();
        Message after = api.post(room, "poster", "after the last round");
        posted.add(after.id());
        received.add(client.next(event -> event.is("message"), WAIT).id());
        assertTrue(
            client.drain().stream().noneMatch(event -> event.is("message") || event.is("reset")));
      }
      assertEquals(POSTS + 1, posted.size());
      assertEquals(posted, received, "every message once, in order, across 12 reconnects");
    } finally {
      poster.shutdownNow();
    }
  }

  @Test
  void unknownIdGetsResetThenTheLatestMessages() {
    String room = Api.freshRoom("unknown");
    List<Message> posted =
        List.of(api.post(room, "a", "1"), api.post(room, "a", "2"), api.post(room, "a", "3"));
    try (SseClient client = SseClient.open(server, events(room), "zzzzzz-99")) {
      SseEvent reset = client.next(event -> event.is("reset"), WAIT);
      assertNull(reset.id());
      EventEncoder.Reset data = Api.read(reset, EventEncoder.Reset.class);
      assertEquals("unknown", data.reason());
      assertEquals(posted.get(0).id(), data.oldestId());
      assertEquals(ids(posted), eventIds(client.messages(3, WAIT)));
    }
  }

  @Test
  void malformedIdGetsReset() {
    String room = Api.freshRoom("malformed");
    Message only = api.post(room, "a", "1");
    try (SseClient client = SseClient.open(server, events(room), "not an id!")) {
      assertEquals(
          "malformed",
          Api.read(client.next(event -> event.is("reset"), WAIT), EventEncoder.Reset.class)
              .reason());
      assertEquals(only.id(), client.next(event -> event.is("message"), WAIT).id());
    }
  }

  @Test
  void idOlderThanTheKeptHistoryGetsResetWithTheOldestKeptId() {
    String room = Api.freshRoom("expired");
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < SharedServer.HISTORY_SIZE + 5; i++) {
      posted.add(api.post(room, "a", "message " + i));
    }
    try (SseClient client = SseClient.open(server, events(room), posted.get(0).id())) {
      EventEncoder.Reset reset =
          Api.read(client.next(event -> event.is("reset"), WAIT), EventEncoder.Reset.class);
      assertEquals("expired", reset.reason());
      assertEquals(posted.get(5).id(), reset.oldestId());
      assertEquals(
          ids(posted.subList(posted.size() - 50, posted.size())),
          eventIds(client.messages(50, WAIT)));
    }
  }

  @Test
  void resumeFromTheNewestIdSendsNothingOld() {
    String room = Api.freshRoom("newest");
    api.post(room, "a", "1");
    Message newest = api.post(room, "a", "2");
    try (SseClient client = SseClient.open(server, events(room), newest.id())) {
      client.next(event -> event.is("presence"), WAIT);
      Message live = api.post(room, "a", "3");
      assertEquals(
          live.id(), client.next(event -> event.is("message") || event.is("reset"), WAIT).id());
    }
  }

  @Test
  void heartbeatCommentsArriveAtTheConfiguredInterval() {
    String room = Api.freshRoom("ping");
    try (SseClient client = SseClient.open(server, events(room), null)) {
      SseEvent ping = client.next(event -> event.is("comment"), Duration.ofSeconds(5));
      assertEquals("ping", ping.data());
    }
  }

  @Test
  void presenceListsNicksOnceAndTellsWhoJoinedAndLeft() {
    String room = Api.freshRoom("presence");
    try (SseClient alice = SseClient.open(server, events(room) + "?nick=alice", null)) {
      assertEquals(List.of("alice"), presence(alice).online());

      SseClient bob = SseClient.open(server, events(room) + "?nick=bob", null);
      EventEncoder.Presence joined = presence(alice);
      assertEquals("bob", joined.joined());
      assertEquals(List.of("alice", "bob"), joined.online());
      assertEquals(List.of("alice", "bob"), presence(bob).online());

      SseClient bobAgain = SseClient.open(server, events(room) + "?nick=bob", null);
      bobAgain.next(event -> event.is("presence"), WAIT);
      bob.close();
      bobAgain.close();

      EventEncoder.Presence left = presence(alice);
      assertEquals(
          "bob", left.left(), "a second stream of bob's neither joined nor left on its own");
      assertEquals(List.of("alice"), left.online());
    }
  }

  private static EventEncoder.Presence presence(SseClient client) {
    return Api.read(client.next(event -> event.is("presence"), WAIT), EventEncoder.Presence.class);
  }

  static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::id).toList();
  }

  static List<String> eventIds(List<SseEvent> events) {
    return events.stream().map(SseEvent::id).toList();
  }
}
