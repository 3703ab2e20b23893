package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.chat.Message;
import io.parley.chat.RoomInfo;
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
        new ParleyServer(name, Map.of(
            "parley.store", "redis",
            "parley.redis.url", redisUrl,
            "parley.redis.prefix", prefix,
            "parley.history.size", "200",
            "parley.heartbeat.seconds", "1"));
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
      List<Message> posted = IntStream.range(0, 20).mapToObj(i -> api.post(room, "alice", "hello " + i)).toList();
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(onA.messages(20, WAIT)));
      assertEquals(StreamIT.ids(posted), StreamIT.eventIds(onB.messages(20, WAIT)));
      assertEquals(posted, new Api(nodeB).history(room, "?limit=20"), "history reads the same log on every node");
      RoomInfo info = new Api(nodeB).rooms().stream().filter(r -> r.name().equals(room)).findFirst().orElseThrow();
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
          runs.add(posters.submit(() -> IntStream.range(0, each).mapToObj(i -> api.post(room, "poster", "m" + i)).toList()));
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

  @Test
  void presenceIsClusterWideAndAKilledNodesNicksExpire() {
    String room = Api.freshRoom("presence");
    ParleyServer doomed = node("node-doomed", RedisForTests.URL);
    try (SseClient ann = SseClient.open(nodeA, events(room, "ann"), null);
        SseClient carl = SseClient.open(doomed, events(room, "carl"), null)) {
      List<List<String>> seenByAnn = new ArrayList<>(List.of(List.of()));
      Await.until("ann's stream on A to list carl from the other node", WAIT,
          () -> online(ann, seenByAnn).equals(List.of("ann", "carl")));
      assertEquals(2, new Api(nodeB).rooms().stream().filter(r -> r.name().equals(room)).findFirst().orElseThrow().online(),
          "a node without streams of the room lists it, with who is online elsewhere");
      doomed.kill();
      Await.until("carl to drop out after his node died", WAIT, () -> online(ann, seenByAnn).equals(List.of("ann")));
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
      CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
        for (int i = 0; posting.get() && i < 400; i++) {
          posted.add(onB.post(room, "bob", "during failover " + i));
        }
      });
      List<SseEvent> before = first.messages(30, WAIT);
      doomed.kill();
      first.awaitEnd(WAIT);
      List<SseEvent> seen = new ArrayList<>(first.drain().stream().filter(event -> event.is("message")).toList());
      seen.addAll(0, before);
      String lastEventId = seen.get(seen.size() - 1).id();
      posting.set(false);
      poster.get();
      int missing = posted.size() - seen.size();
      try (SseClient resumed = SseClient.open(nodeB, events(room, null), lastEventId)) {
        seen.addAll(resumed.messages(missing, WAIT));
        assertTrue(resumed.drain().stream().noneMatch(event -> event.is("reset") || event.is("message")),
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

        HttpResponse<String> refused = api.postJson("api/rooms/" + room + "/messages", "{\"author\":\"ann\",\"text\":\"lost?\"}");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertNotNull(refused.headers().firstValue("Retry-After").orElse(null));
        assertEquals(503, api.get("api/health/ready").statusCode());
        assertEquals(200, api.get("api/health/live").statusCode());
        stream.next(event -> event.is("comment"), WAIT); // the stream stays open: heartbeats go on

        redis.start(); // empty: it kept nothing on disk
        Await.until("readiness after Redis is back", WAIT, () -> api.get("api/health/ready").statusCode() == 200);
        Message after = api.post(room, "ann", "after the outage");
        assertTrue(stream.awaitEnd(WAIT), "a stream whose history is gone is ended, so its client starts over");
        assertTrue(stream.endedCleanly(), "ended with its last chunk");
        try (SseClient again = SseClient.open(node, events(room, null), before.id())) {
          assertEquals("reset", again.next(event -> event.is("reset") || event.is("message"), WAIT).type());
          assertEquals(List.of(after.id()), StreamIT.eventIds(again.messages(1, WAIT)));
        }
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
    String[] x = a.split("-");
    String[] y = b.split("-");
    int byMillis = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
  }
}
