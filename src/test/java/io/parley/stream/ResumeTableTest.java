package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.it.RedisForTests;
import io.parley.store.EmbeddedMessageLog;
import io.parley.store.Redis;
import io.parley.store.RedisMessageLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a stream starts, for every kind of {@code Last-Event-ID}, on both stores, as a table in the
 * style of Centrifuge's recovery tests: a room that keeps 5 messages has had {@code posted} of them
 * (m1 … m{@code posted}); a client comes with an id; it gets the reset (if any) and the replay in
 * the table. Without an id, or after a reset, the replay is the latest 3.
 */
class ResumeTableTest {

  private static final int HISTORY = 5;
  private static final int REPLAY = 3;
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  /** Which id the client comes with. */
  enum Id {
    NONE,
    LATEST,
    OLDEST_KEPT,
    ONE_BEFORE_OLDEST,
    TRIMMED,
    UNKNOWN,
    MALFORMED,
    FROM_A_WIPED_STORE
  }

  /**
   * What the client gets: a reset's reason (or null) and the positions (1-based) of the messages
   * replayed.
   */
  record Expect(Resume.Reason reset, List<Integer> replay) {
    static Expect exact(int from, int to) {
      return new Expect(null, IntStream.rangeClosed(from, to).boxed().toList());
    }

    static Expect reset(Resume.Reason reason, List<Integer> replay) {
      return new Expect(reason, replay);
    }
  }

  private static final List<Integer> LATEST_3 = List.of(6, 7, 8);

  static Stream<Arguments> table() {
    return Stream.of(
        // posted, the id, on the embedded store, on Redis
        row(8, Id.NONE, Expect.exact(6, 8), Expect.exact(6, 8)),
        row(8, Id.LATEST, Expect.exact(9, 8), Expect.exact(9, 8)),
        row(8, Id.OLDEST_KEPT, Expect.exact(5, 8), Expect.exact(5, 8)),
        // The embedded store knows every id after m3 is kept; Redis keeps no trace of m3 once
        // trimmed.
        row(
            8,
            Id.ONE_BEFORE_OLDEST,
            Expect.exact(4, 8),
            Expect.reset(Resume.Reason.EXPIRED, LATEST_3)),
        row(
            8,
            Id.TRIMMED,
            Expect.reset(Resume.Reason.EXPIRED, LATEST_3),
            Expect.reset(Resume.Reason.EXPIRED, LATEST_3)),
        row(
            8,
            Id.UNKNOWN,
            Expect.reset(Resume.Reason.UNKNOWN, LATEST_3),
            Expect.reset(Resume.Reason.UNKNOWN, LATEST_3)),
        row(
            8,
            Id.MALFORMED,
            Expect.reset(Resume.Reason.MALFORMED, LATEST_3),
            Expect.reset(Resume.Reason.MALFORMED, LATEST_3)),
        // Redis ids are times: one from before a wipe is older than anything kept now.
        row(
            8,
            Id.FROM_A_WIPED_STORE,
            Expect.reset(Resume.Reason.UNKNOWN, LATEST_3),
            Expect.reset(Resume.Reason.EXPIRED, LATEST_3)),
        row(0, Id.NONE, Expect.exact(1, 0), Expect.exact(1, 0)),
        row(
            0,
            Id.FROM_A_WIPED_STORE,
            Expect.reset(Resume.Reason.UNKNOWN, List.of()),
            Expect.reset(Resume.Reason.UNKNOWN, List.of())),
        row(3, Id.OLDEST_KEPT, Expect.exact(2, 3), Expect.exact(2, 3)),
        row(
            3,
            Id.UNKNOWN,
            Expect.reset(Resume.Reason.UNKNOWN, List.of(1, 2, 3)),
            Expect.reset(Resume.Reason.UNKNOWN, List.of(1, 2, 3))));
  }

  private static Arguments row(int posted, Id id, Expect embedded, Expect redis) {
    return Arguments.of(posted, id, embedded, redis);
  }

  @ParameterizedTest(name = "{0} posted, {1}: embedded {2}")
  @MethodSource("table")
  void onTheEmbeddedStore(int posted, Id id, Expect embedded, Expect redis) {
    String wipedId;
    try (MessageLog wiped = new EmbeddedMessageLog(dir.resolve("wiped"), HISTORY)) {
      wipedId = post(wiped, 8).get(7).id();
    }
    try (MessageLog log = new EmbeddedMessageLog(dir.resolve("live"), HISTORY)) {
      List<Message> messages = post(log, posted);
      check(
          log,
          messages,
          id,
          wipedId,
          posted == 0 ? "zzzzzz-99" : messages.get(0).id().split("-", -1)[0] + "-99",
          embedded);
    }
  }

  @ParameterizedTest(name = "{0} posted, {1}: Redis {3}")
  @MethodSource("table")
  void onRedis(int posted, Id id, Expect embedded, Expect redis) {
    RedisForTests.requireRedis();
    String prefix = RedisForTests.freshPrefix();
    try (Redis connection = new Redis(RedisForTests.URL, prefix);
        MessageLog log = new RedisMessageLog(connection, HISTORY)) {
      String wipedId = post(log, 8).get(7).id();
      RedisForTests.deleteKeys(prefix);
      List<Message> messages = post(log, posted);
      check(log, messages, id, wipedId, "99999999999999-0", redis);
    } finally {
      RedisForTests.deleteKeys(prefix);
    }
  }

  private static void check(
      MessageLog log,
      List<Message> messages,
      Id id,
      String wipedId,
      String unknownId,
      Expect expect) {
    String lastEventId =
        switch (id) {
          case NONE -> null;
          case LATEST -> messages.get(messages.size() - 1).id();
          case OLDEST_KEPT -> messages.get(Math.max(0, messages.size() - HISTORY)).id();
          case ONE_BEFORE_OLDEST -> messages.get(messages.size() - HISTORY - 1).id();
          case TRIMMED -> messages.get(0).id();
          case UNKNOWN -> unknownId;
          case MALFORMED -> "not an id\r\nX-Injected: 1";
          case FROM_A_WIPED_STORE -> wipedId;
        };
    CatchUp plan = CatchUp.plan(log, "lobby", lastEventId, REPLAY, 64);
    List<Message> replay =
        expect.replay().stream().map(position -> messages.get(position - 1)).toList();
    assertEquals(Optional.ofNullable(expect.reset()), plan.reset(), "the reset");
    assertEquals(replay, plan.entries(), "the replay");
    if (expect.reset() != null) {
      assertEquals(
          messages.isEmpty()
              ? Optional.empty()
              : Optional.of(messages.get(Math.max(0, messages.size() - HISTORY)).id()),
          plan.oldestId(),
          "a reset names the oldest message kept");
    }
  }

  private static List<Message> post(MessageLog log, int count) {
    List<Message> posted = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      posted.add(log.append("lobby", "alice", "m" + i, AT, false));
    }
    return posted;
  }
}
