package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.it.RedisForTests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis log on the machine's Redis ({@link RedisForTests}), under keys of this test's own. */
class RedisMessageLogTest {

  private static final Instant AT = Instant.parse("2026-12-01T01:02:03.456Z");

  private final List<String> prefixes = new ArrayList<>();

  @AfterEach
  void deleteKeys() {
    prefixes.forEach(RedisForTests::deleteKeys);
  }

  /**
   * A resume answered while posts trim the room: {@code expired}, or exactly what followed the id.
   */
  private record Answer(String after, Resume resume) {}

  /**
   * Resumes at the edge of the history while posts trim it: every answer is the exact continuation
   * (the messages right after the id, with no gap) or an {@code expired} reset. (On Redis, unlike
   * the embedded store, the id just before the oldest kept one is expired too: Redis keeps no trace
   * of what trimming removed.)
   */
  @Test
  void idsAreOrderedAsRedisOrdersThem() {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    prefixes.add(prefix);
    try (Redis redis = new Redis(RedisForTests.URL, prefix);
        MessageLog log = new RedisMessageLog(redis, 5)) {
      String first = log.append("lobby", "alice", "one", AT, false).id();
      String second = log.append("lobby", "alice", "two", AT, false).id();
      assertTrue(log.isAfter(second, first));
      assertFalse(log.isAfter(first, second));
      assertTrue(log.isAfter("10-0", "9-5"), "numbers, not text");
      assertFalse(log.isAfter("nonsense", first));
    }
  }

  @Test
  void aResumeRacingTheTrimIsExactOrAReset() throws Exception {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    prefixes.add(prefix);
    try (Redis redis = new Redis(RedisForTests.URL, prefix);
        MessageLog log = new RedisMessageLog(redis, 5)) {
      List<String> ids = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(log.append("lobby", "alice", "first " + i, AT, false).id());
      }
      List<Answer> answers = new ArrayList<>();
      ExecutorService poster = Executors.newSingleThreadExecutor();
      Future<?> posting =
          poster.submit(
              () -> {
                for (int i = 0; i < 2000; i++) {
                  ids.add(log.append("lobby", "alice", "racing " + i, AT, false).id());
                }
              });
      try {
        for (int round = 0; !posting.isDone(); round++) {
          // Around the oldest kept (the 5th from last): kept, the oldest, just trimmed, or older.
          String edge = ids.get(Math.max(0, ids.size() - 3 - round % 5));
          answers.add(new Answer(edge, log.after("lobby", edge, 100)));
        }
        posting.get();
      } finally {
        poster.shutdownNow();
      }
      int exact = 0;
      for (Answer answer : answers) {
        if (answer.resume() instanceof Resume.Continue going) {
          int from = ids.indexOf(answer.after()) + 1;
          List<String> got = going.entries().stream().map(Entry::id).toList();
          assertEquals(
              ids.subList(from, from + got.size()),
              got,
              "a continuation from " + answer.after() + " has no gap");
          exact++;
        } else {
          assertEquals(new Resume.Reset(Resume.Reason.EXPIRED), answer.resume());
        }
      }
      assertTrue(
          exact > 0 && exact < answers.size(),
          "both answers came up: " + exact + " exact of " + answers.size());
    } finally {
      RedisForTests.deleteKeys(prefix);
    }
  }

  /**
   * A node whose follower stalls while another node posts past the history: when it goes on, it
   * tells its streams to start over instead of jumping over what was trimmed, and goes on following
   * the room.
   */
  @Test
  void aFollowerThatFellBehindATrimStartsTheRoomOverInsteadOfJumping() throws Exception {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    try (Redis redisA = new Redis(RedisForTests.URL, prefix);
        Redis redisB = new Redis(RedisForTests.URL, prefix);
        MessageLog nodeA = new RedisMessageLog(redisA, 5);
        MessageLog nodeB = new RedisMessageLog(redisB, 5)) {
      List<String> told = new CopyOnWriteArrayList<>();
      List<String> restarted = new CopyOnWriteArrayList<>();
      CountDownLatch stalled = new CountDownLatch(1);
      CountDownLatch goOn = new CountDownLatch(1);
      nodeA.onAppend(
          new AppendListener() {
            @Override
            public void appended(Entry message) {
              told.add(message.id());
              stalled.countDown();
              await(goOn);
            }

            @Override
            public void historyLost(String room) {
              restarted.add(room);
            }
          });
      nodeA.follow("lobby");
      String first = nodeB.append("lobby", "bob", "seen", AT, false).id();
      assertTrue(stalled.await(10, TimeUnit.SECONDS), "node A's follower read the first message");
      List<String> later = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        later.add(nodeB.append("lobby", "bob", "while A is stalled " + i, AT, false).id());
      }
      goOn.countDown();
      Await.until(
          "node A to start the room over",
          Duration.ofSeconds(10),
          () -> restarted.equals(List.of("lobby")));
      String after = nodeB.append("lobby", "bob", "after", AT, false).id();
      Await.until(
          "node A to go on following the room", Duration.ofSeconds(10), () -> told.contains(after));
      assertEquals(List.of(first, after), told, "nothing told across the trim: " + later);
    } finally {
      RedisForTests.deleteKeys(prefix);
    }
  }

  /**
   * Two nodes appending under one idempotency key at once store one message; the first one comes
   * back to both.
   */
  @Test
  void appendsUnderOneKeyOnTwoNodesStoreOneMessage() throws Exception {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    try (Redis redisA = new Redis(RedisForTests.URL, prefix);
        Redis redisB = new Redis(RedisForTests.URL, prefix);
        MessageLog nodeA = new RedisMessageLog(redisA, 100);
        MessageLog nodeB = new RedisMessageLog(redisB, 100)) {
      IdempotencyKey key = new IdempotencyKey("token:ci-bot", "deploy-42", Duration.ofSeconds(60));
      ExecutorService callers = Executors.newFixedThreadPool(8);
      try {
        List<Future<Appended>> copies = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          MessageLog node = i % 2 == 0 ? nodeA : nodeB;
          copies.add(
              callers.submit(() -> node.append("lobby", "ci-bot", "deployed", AT, true, key)));
        }
        java.util.Set<Message> answers = new java.util.HashSet<>();
        int stored = 0;
        for (Future<Appended> copy : copies) {
          answers.add(copy.get().message());
          stored += copy.get().replayed() ? 0 : 1;
        }
        assertEquals(1, answers.size(), "every copy answered with the one message: " + answers);
        assertEquals(1, stored);
        assertEquals(List.copyOf(answers), nodeB.latest("lobby", 10));
      } finally {
        callers.shutdownNow();
      }
    } finally {
      RedisForTests.deleteKeys(prefix);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
