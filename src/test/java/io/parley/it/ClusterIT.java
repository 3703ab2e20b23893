package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.chat.RoomInfo;
import io.parley.core.Message;
import io.parley.stream.EventEncoder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two (and for one test three) Tomcat nodes on one Redis: one room, the same everywhere. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String prefix = RedisForTests.freshPrefix();
  private final List<ParleyServer> started = new ArrayList<>();
  private ParleyServer nodeA;
  private ParleyServer nodeB;

  @BeforeAll
  void startNodes() {
    RedisForTests.requireRedis();
    nodeA = node("node-a", RedisForTests.URL);
    nodeB = node("node-b", RedisForTests.URL);
  }

  @AfterAll
  void stopNodes() {
    started.forEach(ParleyServer::close);
    RedisForTests.deleteKeys(prefix);
  }

  private ParleyServer node(String name, String redisUrl) {
    ParleyServer server =
        new ParleyServer(
            name,
            Map.of(
                "parley.store",
                "redis",
                "parley.redis.url",
                redisUrl,
                "parley.redis.prefix",
                prefix,
                "parley.history.size",
                "200",
                "parley.heartbeat.seconds",
                "1",
                "parley.moderators",
                SharedServer.MODERATOR + ":" + SharedServer.MODERATOR_TOKEN));
    started.add(server);
    return server.start();
  }

  private static String events(String room, String nick) {
    return "api/rooms/" + room + "/events" + (nick == null ? "" : "?nick=" + nick);
  }

  @Test
  void aMessagePostedOnOneNodeReachesStreamsOnBothWithTheSameIdsInOrder() {
    String room = Api.freshRoom("fanout");
    try (SseClient onA = SseClient.open(nodeA, events(room, null), null);
        SseClient onB = SseClient.open(nodeB, events(room, null), null)) {
      onA.next(event -> event.is("presence"), WAIT);
      onB.next(event -> event.is("presence"), WAIT);
      Api api = new Api(nodeA);
      List<Message> posted =
          IntStream.range(0, 20).mapToObj(i -> api.post(room, "alice", "hello " + i)).toList();
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(onA.messages(20, WAIT)));
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(onB.messages(20, WAIT)));
      assertEquals(
          posted,
          new Api(nodeB).history(room, "?limit=20"),
          "history reads the same log on every node");
      RoomInfo info =
          new Api(nodeB)
              .rooms().stream().filter(r -> r.name().equals(room)).findFirst().orElseThrow();
      assertEquals(posted.get(19).id(), info.lastMessageId());
    }
  }

  @Test
  void concurrentPostersOnBothNodesAndEveryStreamSeesTheSameSequence() throws Exception {
    String room = Api.freshRoom("race");
    int each = 60;
    try (SseClient onA = SseClient.open(nodeA, events(room, null), null);
        SseClient onB = SseClient.open(nodeB, events(room, null), null);
        SseClient alsoOnB = SseClient.open(nodeB, events(room, null), null)) {
      List<SseClient> streams = List.of(onA, onB, alsoOnB);
      for (SseClient stream : streams) {
        stream.next(event -> event.is("presence"), WAIT);
      }
      ExecutorService posters = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Message>>> runs = new ArrayList<>();
        for (ParleyServer node : List.of(nodeA, nodeB, nodeA, nodeB)) {
          Api api = new Api(node);
          runs.add(
              posters.submit(
                  () ->
                      IntStream.range(0, each)
                          .mapToObj(i -> api.post(room, "poster", "m" + i))
                          .toList()));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<Message>> run : runs) {
          all.addAll(StreamIT.ids(run.get()));
        }
        List<String> seenOnA = StreamIT.eventIds(onA.messages(all.size(), WAIT));
        assertEquals(seenOnA, StreamIT.eventIds(onB.messages(all.size(), WAIT)));
        assertEquals(seenOnA, StreamIT.eventIds(alsoOnB.messages(all.size(), WAIT)));
        List<String> sortedPosted = new ArrayList<>(all);
        Collections.sort(sortedPosted, ClusterIT::compareIds);
        assertEquals(sortedPosted, seenOnA, "every message once, in the log's order");
      } finally {
        posters.shutdownNow();
      }
    }
  }

  /** Redis lists the rooms that have messages, not every name someone listened to. */
  @Test
  void redisListsRoomsWithMessagesOnly() {
    String room = Api.freshRoom("listed");
    try (SseClient listener = SseClient.open(nodeA, events(room, "ann"), null)) {
      listener.next(event -> event.is("presence"), WAIT);
      assertTrue(
          !RedisForTests.members(prefix + "rooms").contains(room),
          "a name listened to is not listed in Redis");
      new Api(nodeB).post(room, "ann", "now it has a message");
      assertTrue(RedisForTests.members(prefix + "rooms").contains(room));
    }
  }

  @Test
  void aPostRetriedOnAnotherNodeWithItsIdempotencyKeyIsStoredOnce() {
    String room = Api.freshRoom("idempotent");
    String path = "api/rooms/" + room + "/messages";
    Map<String, String> headers =
        Map.of("Content-Type", "application/json", "Idempotency-Key", "retry-" + room);
    byte[] body =
        Api.JSON
            .toJson(Map.of("author", "ann", "text", "once, on any node"))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> first = new Api(nodeA).sendWith("POST", path, headers, body);
    HttpResponse<String> again = new Api(nodeB).sendWith("POST", path, headers, body);
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, again.statusCode(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(
        Api.JSON.fromJson(first.body(), Message.class),
        Api.JSON.fromJson(again.body(), Message.class));
    assertEquals(1, new Api(nodeB).history(room, "?limit=10").size());
  }

  /** A session started on one node holds its nick on every node, until it ends on any. */
  @Test
  void aSessionStartedOnOneNodeHoldsItsNickOnEvery() {
    String room = Api.freshRoom("sessions");
    String nick = "held-" + room.substring(room.length() - 8);
    byte[] body =
        Api.JSON.toJson(Map.of("nick", nick)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpResponse<String> started =
        new Api(nodeA)
            .sendWith("POST", "api/sessions", Map.of("Content-Type", "application/json"), body);
    assertEquals(201, started.statusCode(), started.body());
    String token = Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
    Map<String, String> signedIn = Map.of("Authorization", "Bearer " + token);

    Api onB = new Api(nodeB);
    HttpResponse<String> current = onB.sendWith("GET", "api/sessions/current", signedIn, null);
    assertEquals(200, current.statusCode(), current.body());
    assertEquals(nick, Api.JSON.fromJson(current.body(), SessionsIT.SessionAnswer.class).nick());
    Problems.assertProblem(
        onB.sendWith("POST", "api/sessions", Map.of("Content-Type", "application/json"), body),
        403);
    byte[] post =
        Api.JSON
            .toJson(Map.of("author", nick, "text", "as " + nick))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String messages = "api/rooms/" + room + "/messages";
    Problems.assertProblem(
        onB.sendWith("POST", messages, Map.of("Content-Type", "application/json"), post), 403);

    assertEquals(204, onB.sendWith("DELETE", "api/sessions/current", signedIn, null).statusCode());
    Problems.assertProblem(
        new Api(nodeA).sendWith("GET", "api/sessions/current", signedIn, null), 401);
    assertEquals(
        201,
        new Api(nodeA)
            .sendWith("POST", messages, Map.of("Content-Type", "application/json"), post)
            .statusCode());
  }

  /**
   * A private room made on one node is private on both; a member removed on one node has their
   * stream on the other ended within a few seconds (each node checks its streams in private rooms).
   */
  @Test
  void aMemberRemovedOnOneNodeHasTheirStreamOnTheOtherEnded() {
    String room = Api.freshRoom("private");
    Map<String, String> owner = signedIn(nodeA, "own-" + room.substring(room.length() - 8));
    Map<String, String> member = signedIn(nodeA, "mem-" + room.substring(room.length() - 8));
    HttpResponse<String> made =
        new Api(nodeA)
            .sendWith(
                "POST",
                "api/rooms",
                withJson(owner),
                Api.JSON
                    .toJson(Map.of("name", room, "private", true))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(201, made.statusCode(), made.body());
    String invite = (String) Api.JSON.fromJson(made.body(), Map.class).get("invite");
    Problems.assertProblem(new Api(nodeB).get("api/rooms/" + room + "/messages"), 404);
    HttpResponse<String> joined =
        new Api(nodeB)
            .sendWith(
                "POST",
                "api/rooms/" + room + "/members",
                withJson(member),
                Api.JSON
                    .toJson(Map.of("invite", invite))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(200, joined.statusCode(), joined.body());
    try (SseClient onB = SseClient.openWith(nodeB, events(room, null), member)) {
      assertEquals(200, onB.status());
      onB.next(event -> event.is("presence"), WAIT);
      String nick = memberNick(room);
      assertEquals(
          204,
          new Api(nodeA)
              .sendWith("DELETE", "api/rooms/" + room + "/members/" + nick, owner, null)
              .statusCode());
      assertTrue(onB.next(event -> event.is("shutdown"), WAIT).data().contains("removed"));
      assertTrue(onB.awaitEnd(WAIT));
    }
    Problems.assertProblem(
        new Api(nodeB).sendWith("GET", "api/rooms/" + room + "/messages", member, null), 404);
  }

  private static String memberNick(String room) {
    return "mem-" + room.substring(room.length() - 8);
  }

  private static Map<String, String> withJson(Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return all;
  }

  /** The Authorization header of a new session for {@code nick}, started on {@code node}. */
  private static Map<String, String> signedIn(ParleyServer node, String nick) {
    HttpResponse<String> started =
        new Api(node)
            .sendWith(
                "POST",
                "api/sessions",
                Map.of("Content-Type", "application/json"),
                Api.JSON
                    .toJson(Map.of("nick", nick))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(201, started.statusCode(), started.body());
    return Map.of(
        "Authorization",
        "Bearer " + Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token());
  }

  private static HttpResponse<String> send(
      ParleyServer node, String method, String path, Map<String, String> as, Object body) {
    return new Api(node)
        .sendWith(
            method,
            path,
            body == null ? as : withJson(as),
            body == null
                ? null
                : Api.JSON.toJson(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * An edit and a deletion made on one node reach the other node's streams live and in a resume
   * there, in the log's order, and its history shows the room as it stands.
   */
  @Test
  void editsAndDeletionsMadeOnOneNodeReachTheOtherInOrder() {
    String room = Api.freshRoom("cluster-edit");
    Map<String, String> alice = new Api(nodeA).person("alice");
    String messages = "api/rooms/" + room + "/messages";
    try (SseClient onB = SseClient.open(nodeB, events(room, null), null)) {
      onB.next(event -> event.is("presence"), WAIT);
      HttpResponse<String> posted = send(nodeA, "POST", messages, alice, Map.of("text", "one"));
      String first = Api.JSON.fromJson(posted.body(), Message.class).id();
      HttpResponse<String> other = send(nodeA, "POST", messages, alice, Map.of("text", "two"));
      String second = Api.JSON.fromJson(other.body(), Message.class).id();
      assertEquals(
          200,
          send(nodeA, "PATCH", messages + "/" + first, alice, Map.of("text", "one, edited"))
              .statusCode());
      assertEquals(204, send(nodeB, "DELETE", messages + "/" + second, alice, null).statusCode());
      List<String> kinds = new ArrayList<>();
      while (kinds.size() < 4) {
        kinds.add(onB.next(e -> e.is("message") || e.is("edit") || e.is("delete"), WAIT).type());
      }
      assertEquals(List.of("message", "message", "edit", "delete"), kinds);
    }
    List<Message> history = new Api(nodeB).history(room, "?limit=10");
    assertEquals(1, history.size());
    assertEquals("one, edited", history.get(0).text());
    assertNotNull(history.get(0).editedAt());
  }

  /** A ban made on one node ends the nick's stream on the other (within its sweep). */
  @Test
  void aBanOnOneNodeEndsTheStreamOnTheOther() {
    String room = Api.freshRoom("cluster-ban");
    Map<String, String> mallory = new Api(nodeA).person("mallory");
    String nick = mallory.get("X-Nick");
    Map<String, String> auth = Map.of("Authorization", mallory.get("Authorization"));
    try (SseClient onB = SseClient.openWith(nodeB, "/" + events(room, null), auth)) {
      onB.next(event -> event.is("presence"), WAIT);
      HttpResponse<String> banned =
          send(
              nodeA,
              "POST",
              "api/rooms/" + room + "/bans",
              Map.of("Authorization", "Bearer " + SharedServer.MODERATOR_TOKEN),
              Map.of("nick", nick, "minutes", 5));
      assertEquals(201, banned.statusCode(), banned.body());
      onB.next(event -> event.is("banned"), WAIT);
      assertTrue(onB.awaitEnd(WAIT));
    }
    Problems.assertProblem(
        send(nodeB, "POST", "api/rooms/" + room + "/messages", auth, Map.of("text", "x")), 403);
  }

  /** Typing on one node is told to the room's streams on the other. */
  @Test
  void typingOnOneNodeReachesTheOther() {
    String room = Api.freshRoom("cluster-typing");
    Map<String, String> alice = new Api(nodeA).person("alice");
    try (SseClient onB = SseClient.open(nodeB, events(room, null), null)) {
      onB.next(event -> event.is("presence"), WAIT);
      Await.until(
          "a typing signal made on node A reaches node B",
          WAIT,
          () -> {
            send(
                nodeA,
                "POST",
                "api/rooms/" + room + "/typing",
                Map.of("Authorization", alice.get("Authorization")),
                Map.of());
            return onB.drain().stream()
                .anyMatch(e -> e.is("typing") && e.data().contains(alice.get("X-Nick")));
          });
    }
  }

  @Test
  void presenceIsClusterWideAndAKilledNodesNicksExpire() {
    String room = Api.freshRoom("presence");
    ParleyServer doomed = node("node-doomed", RedisForTests.URL);
    try (SseClient ann = SseClient.open(nodeA, events(room, "ann"), null);
        SseClient carl = SseClient.open(doomed, events(room, "carl"), null)) {
      assertEquals(200, carl.status(), "carl's stream on the doomed node");
      List<List<String>> seenByAnn = new ArrayList<>(List.of(List.of()));
      Await.until(
          "ann's stream on A to list carl from the other node",
          WAIT,
          () -> online(ann, seenByAnn).equals(List.of("ann", "carl")));
      new Api(nodeA).post(room, "ann", "listed once it has a message");
      assertEquals(
          2,
          new Api(nodeB)
              .rooms().stream()
                  .filter(r -> r.name().equals(room))
                  .findFirst()
                  .orElseThrow()
                  .online(),
          "a node without streams of the room lists it, with who is online elsewhere");
      doomed.kill();
      Await.until(
          "carl to drop out after his node died",
          WAIT,
          () -> online(ann, seenByAnn).equals(List.of("ann")));
    }
  }

  @Test
  void clientsOfAKilledNodeResumeOnAnotherWithNothingMissingAndNothingTwice() throws Exception {
    String room = Api.freshRoom("failover");
    ParleyServer doomed = node("node-failover", RedisForTests.URL);
    Api onB = new Api(nodeB);
    List<Message> posted = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean posting = new AtomicBoolean(true);
    try (SseClient first = SseClient.open(doomed, events(room, null), null)) {
      first.next(event -> event.is("presence"), WAIT);
      CompletableFuture<Void> poster =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; posting.get() && i < 400; i++) {
                  posted.add(onB.post(room, "bob", "during failover " + i));
                }
              });
      List<SseEvent> before = first.messages(30, WAIT);
      doomed.kill();
      first.awaitEnd(WAIT);
      List<SseEvent> seen =
          new ArrayList<>(first.drain().stream().filter(event -> event.is("message")).toList());
      seen.addAll(0, before);
      String lastEventId = seen.get(seen.size() - 1).id();
      posting.set(false);
      poster.get();
      int missing = posted.size() - seen.size();
      try (SseClient resumed = SseClient.open(nodeB, events(room, null), lastEventId)) {
        seen.addAll(resumed.messages(missing, WAIT));
        assertTrue(
            resumed.drain().stream().noneMatch(event -> event.is("reset") || event.is("message")),
            "nothing after what was posted, and no reset");
      }
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(seen));
    }
  }

  @Test
  void withRedisDownPostsAnswer503AndReadinessFailsUntilItIsBack() {
    String room = Api.freshRoom("outage");
    try (RedisForTests.Private redis = new RedisForTests.Private().start()) {
      ParleyServer node = node("node-outage", redis.url());
      Api api = new Api(node);
      Message before = api.post(room, "ann", "before the outage");
      try (SseClient stream = SseClient.open(node, events(room, null), null)) {
        stream.messages(1, WAIT);
        redis.stop();

        HttpResponse<String> refused =
            api.postJson(
                "api/rooms/" + room + "/messages", "{\"author\":\"ann\",\"text\":\"lost?\"}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(
            refused
                .headers()
                .firstValue("Content-Type")
                .orElse("")
                .startsWith("application/problem+json"));
        assertNotNull(refused.headers().firstValue("Retry-After").orElse(null));
        assertEquals(503, api.get("api/health/ready").statusCode());
        assertEquals(200, api.get("api/health/live").statusCode());
        stream.next(event -> event.is("comment"), WAIT); // the stream stays open: heartbeats go on

        redis.start(); // empty: it kept nothing on disk
        Await.until(
            "readiness after Redis is back",
            WAIT,
            () -> api.get("api/health/ready").statusCode() == 200);
        Message after = api.post(room, "ann", "after the outage");
        assertTrue(
            stream.awaitEnd(WAIT),
            "a stream whose history is gone is ended, so its client starts over");
        assertTrue(stream.endedCleanly(), "ended with its last chunk");
        try (SseClient again = SseClient.open(node, events(room, null), before.id())) {
          assertEquals(
              "reset", again.next(event -> event.is("reset") || event.is("message"), WAIT).type());
          assertEquals(List.of(after.id()), StreamIT.eventIds(again.messages(1, WAIT)));
        }
      }
    }
  }

  @Test
  void aNodeStoppedWhileOthersPostPastItsHistoryResetsItsClientsInsteadOfSkippingAhead() {
    String room = Api.freshRoom("stalled");
    ParleyServer stalled = node("node-stalled", RedisForTests.URL);
    Api onA = new Api(nodeA);
    List<Message> posted = new ArrayList<>();
    try (SseClient client = SseClient.open(stalled, events(room, null), null)) {
      client.next(event -> event.is("presence"), WAIT);
      posted.add(onA.post(room, "bob", "before the stall"));
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(client.messages(1, WAIT)));
      stalled.pause();
      try {
        for (int i = 0; i < 250; i++) { // past the history of 200
          posted.add(onA.post(room, "bob", "while the node is stopped " + i));
        }
      } finally {
        stalled.resume();
      }
      assertTrue(
          client.awaitEnd(WAIT), "the node ends the streams of a room that moved on without it");
      // What the node had read before it stopped may come, then nothing across the trim.
      List<String> got =
          StreamIT.eventIds(client.drain().stream().filter(event -> event.is("message")).toList());
      assertEquals(StreamIT.ids(posted).subList(1, 1 + got.size()), got, "no gap before the end");
      String lastSeen = got.isEmpty() ? posted.get(0).id() : got.get(got.size() - 1);
      try (SseClient resumed = SseClient.open(stalled, events(room, null), lastSeen)) {
        SseEvent reset = resumed.next(event -> event.is("reset") || event.is("message"), WAIT);
        assertEquals("reset", reset.type());
        EventEncoder.Reset told = Api.read(reset, EventEncoder.Reset.class);
        assertEquals("expired", told.reason());
        assertEquals(posted.get(posted.size() - 200).id(), told.oldestId());
        List<SseEvent> replay = resumed.messages(1, WAIT);
        assertTrue(
            StreamIT.ids(posted)
                .subList(posted.size() - 200, posted.size())
                .contains(replay.get(0).id()));
      }
    } finally {
      stalled.close();
    }
  }

  @Test
  void
      withRedisDownANewRoomsStreamIs503AndAFollowedRoomsStreamEndsCleanlyThenBothWorkWhenItIsBack() {
    String followed = Api.freshRoom("followed");
    String fresh = Api.freshRoom("fresh");
    try (RedisForTests.Private redis = new RedisForTests.Private().start()) {
      ParleyServer node = node("node-opens", redis.url());
      try (SseClient first = SseClient.open(node, events(followed, null), null)) {
        first.next(event -> event.is("presence"), WAIT);
        redis.stop();
        try (SseClient refused = SseClient.open(node, events(fresh, "ann"), null)) {
          assertEquals(
              503,
              refused.status(),
              "a room that cannot be followed is refused before its stream starts");
          assertTrue(refused.header("content-type").startsWith("application/problem+json"));
          assertNotNull(refused.header("retry-after"));
        }
        // An id the node does not hold among the room's recent messages: only Redis could answer.
        try (SseClient unread = SseClient.open(node, events(followed, "ann"), "1-0")) {
          assertEquals(200, unread.status());
          assertTrue(
              unread.awaitEnd(WAIT),
              "a stream that cannot be caught up ends, so its client comes back");
          assertTrue(unread.endedCleanly());
        }
        // Without an id, the node catches it up from the room's recent messages: it stays open.
        try (SseClient fromMemory = SseClient.open(node, events(followed, null), null)) {
          assertEquals(200, fromMemory.status());
          fromMemory.next(event -> event.is("presence"), WAIT);
          assertFalse(fromMemory.awaitEnd(Duration.ofSeconds(2)), "caught up without Redis");
        }
        redis.start();
        Await.until(
            "readiness after Redis is back",
            WAIT,
            () -> new Api(node).get("api/health/ready").statusCode() == 200);
        try (SseClient again = SseClient.open(node, events(fresh, "ann"), null)) {
          assertEquals(200, again.status());
          again.next(event -> event.is("presence"), WAIT);
          Message after = new Api(node).post(fresh, "ann", "after the outage");
          assertEquals(List.of(after.id()), StreamIT.eventIds(again.messages(1, WAIT)));
        }
      }
    }
  }

  @Test
  void withRedisAnsweringSlowlyPostsAndDeliveryGoOnAndPresenceCatchesUp() throws Exception {
    String room = Api.freshRoom("slow-redis");
    try (RedisForTests.Private redis = new RedisForTests.Private().start()) {
      ParleyServer node = node("node-slow-redis", redis.url());
      Api api = new Api(node);
      AtomicBoolean slowing = new AtomicBoolean(true);
      try (SseClient ann = SseClient.open(node, events(room, "ann"), null);
          SseClient viewer = SseClient.open(node, events(room, null), null)) {
        ann.next(event -> event.is("presence"), WAIT);
        viewer.next(event -> event.is("presence"), WAIT);
        CompletableFuture<Void> sleeper =
            CompletableFuture.runAsync(
                () -> {
                  while (slowing.get()) {
                    redis.debugSleep("0.3"); // Redis answers nothing for 0.3 s, again and again
                  }
                });
        List<Message> posted = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
          try (SseClient passing = SseClient.open(node, events(room, "passer-by-" + i), null)) {
            assertEquals(200, passing.status());
            posted.add(api.post(room, "ann", "while Redis is slow " + i));
          }
        }
        try (SseClient bob = SseClient.open(node, events(room, "bob"), posted.get(0).id())) {
          assertEquals(
              StreamIT.ids(posted).subList(1, posted.size()),
              StreamIT.eventIds(bob.messages(posted.size() - 1, WAIT)),
              "a catch-up read from a slow Redis is exact");
          assertEquals(StreamIT.ids(posted), StreamIT.eventIds(ann.messages(posted.size(), WAIT)));
          assertEquals(
              StreamIT.ids(posted), StreamIT.eventIds(viewer.messages(posted.size(), WAIT)));
          slowing.set(false);
          sleeper.get();
          List<List<String>> seen = new ArrayList<>(List.of(List.of()));
          Await.until(
              "the passers-by gone and bob there, in the end",
              WAIT,
              () -> online(ann, seen).equals(List.of("ann", "bob")));
        }
      } finally {
        slowing.set(false);
      }
    }
  }

  @Test
  void afterASentinelFailoverDeliveryResumesWithinTenSecondsAndReadinessToldTheTruthMeanwhile() {
    String room = Api.freshRoom("failover-sentinel");
    try (RedisForTests.Private master = new RedisForTests.Private().start();
        RedisForTests.Private replica =
            new RedisForTests.Private(
                    List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())))
                .start();
        RedisForTests.Sentinel sentinel = new RedisForTests.Sentinel(master).start()) {
      Await.until(
          "the replica in sync",
          WAIT,
          () -> replica.call(c -> c.info("replication")).contains("master_link_status:up"));
      ParleyServer node = node("node-sentinel", sentinel.url());
      Api api = new Api(node);
      try (SseClient stream = SseClient.open(node, events(room, null), null)) {
        stream.next(event -> event.is("presence"), WAIT);
        Message before = api.post(room, "ann", "before the failover");
        assertEquals(List.of(before.id()), StreamIT.eventIds(stream.messages(1, WAIT)));
        master.call(c -> c.waitForReplication(1, 5000));
        master.stop();

        List<Integer> readiness = new ArrayList<>();
        Await.until(
            "the sentinel to promote the replica",
            WAIT,
            () -> {
              readiness.add(api.get("api/health/ready").statusCode());
              return sentinel.masterPort().equals(Integer.toString(replica.port()));
            });
        assertTrue(
            readiness.contains(503), "readiness says the store is gone while it is: " + readiness);
        Await.until(
            "posts to be taken again within 10 s of the promotion",
            Duration.ofSeconds(10),
            () ->
                api.postJson(
                            "api/rooms/" + room + "/messages",
                            "{\"author\":\"ann\",\"text\":\"probe\"}")
                        .statusCode()
                    == 201);
        Await.until(
            "readiness after the failover",
            Duration.ofSeconds(10),
            () -> api.get("api/health/ready").statusCode() == 200);
        Message after = api.post(room, "ann", "after the failover");
        List<String> got = StreamIT.eventIds(stream.messages(2, Duration.ofSeconds(10)));
        assertEquals(after.id(), got.get(1), "delivery resumed on the open stream");
      }
    }
  }

  /** The latest presence list the client has had; {@code latest} holds it between calls. */
  private static List<String> online(SseClient client, List<List<String>> latest) {
    for (SseEvent event : client.drain()) {
      if (event.is("presence")) {
        latest.set(0, Api.read(event, EventEncoder.Presence.class).online());
      }
    }
    return latest.get(0);
  }

  private static int compareIds(String a, String b) {
    String[] x = a.split("-", -1);
    String[] y = b.split("-", -1);
    int byMillis = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
