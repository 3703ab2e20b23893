package io.parley.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.TestConfig;
import io.parley.core.SessionStore;
import io.parley.store.RedisSessions;
import io.parley.store.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions holding nicks, on both stores (the embedded one in a fresh folder, Redis under keys of
 * this test's own), with a clock the test moves.
 */
class SessionsTest {

  private static final Duration HOLD = Duration.ofDays(30);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
  private final MessageRules rules =
      new MessageRules(
          TestConfig.with(
              Map.of("parley.tokens", "ci-bot:secret", "parley.moderators", "olga:mod-secret")));
  private final TestStores stores = new TestStores();

  @AfterEach
  void close() throws Exception {
    stores.close();
  }

  private SessionStore store(String kind) throws Exception {
    return kind.equals("embedded")
        ? stores.embedded().sessions()
        : new RedisSessions(stores.redis());
  }

  private Sessions sessions(SessionStore store) {
    return sessions(store, List.of("olga"));
  }

  private Sessions sessions(SessionStore store, List<String> moderators) {
    return new Sessions(store, rules, HOLD, clock, moderators);
  }

  /**
   * A moderator's name is reserved: only a moderator's start takes it, and only that session is a
   * moderator's, while the name is still a moderator's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void onlyAModeratorsOwnStartHoldsTheirNameAndMakesAModerator(String kind) throws Exception {
    SessionStore store = store(kind);
    Sessions sessions = sessions(store);
    assertThrows(ReservedNameException.class, () -> sessions.start("olga", null));
    assertThrows(ReservedNameException.class, () -> sessions.start("\u043elga", null));
    assertTrue(sessions.startModerator("alice", "olga", null).isEmpty(), "not olga's name");

    Sessions.SignedIn olga = sessions.startModerator("Olga", "olga", null).orElseThrow();
    assertEquals("Olga", olga.nick());
    assertTrue(olga.moderator());
    assertTrue(olga.token().startsWith(Sessions.MODERATOR_TOKEN_PREFIX), olga.token());
    assertTrue(sessions.find(olga.token()).orElseThrow().moderator());
    assertEquals(olga, sessions.startModerator("olga", "olga", olga.token()).orElseThrow());

    Sessions.SignedIn alice = sessions.start("alice", null);
    assertFalse(alice.moderator());
    assertFalse(sessions.find(alice.token()).orElseThrow().moderator());

    // Once olga is no moderator any more (the setting changed), her session is a person's.
    Sessions after = sessions(store, List.of());
    assertFalse(after.find(olga.token()).orElseThrow().moderator());
    assertTrue(after.startModerator("olga", "olga", null).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void aSessionHoldsItsNickAgainstEveryoneElseAndEveryLookAlike(String kind) throws Exception {
    Sessions sessions = sessions(store(kind));
    Sessions.SignedIn alice = sessions.start("  alice ", null);
    assertEquals("alice", alice.nick());
    assertTrue(alice.token().startsWith(Sessions.TOKEN_PREFIX), alice.token());
    assertEquals(clock.instant().plus(HOLD), alice.expiresAt());
    assertEquals(alice, sessions.find(alice.token()).orElseThrow());

    for (String lookAlike : List.of("alice", "ALICE", "ａｌｉｃｅ", "\u0430lice", "Al\u0456ce")) {
      assertThrows(NickHeldException.class, () -> sessions.start(lookAlike, null), lookAlike);
      assertThrows(NickHeldException.class, () -> sessions.requireNotHeld(lookAlike), lookAlike);
    }
    sessions.requireNotHeld("bob"); // nobody holds it

    // The holder asking again gets its own session back, not a second one.
    assertEquals(alice, sessions.start("Alice", alice.token()));
    // Another's token does not help.
    Sessions.SignedIn bob = sessions.start("bob", null);
    assertThrows(NickHeldException.class, () -> sessions.start("alice", bob.token()));
    assertNotEquals(alice.token(), bob.token());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void aNickIsFreeOnceItsSessionEndsOrWasNotUsedForTheHoldTime(String kind) throws Exception {
    Sessions sessions = sessions(store(kind));
    Sessions.SignedIn first = sessions.start("carol", null);
    sessions.end(first.token());
    assertTrue(sessions.find(first.token()).isEmpty(), "ended");
    Sessions.SignedIn second = sessions.start("carol", null);

    // Used within the hold, it is held longer; unused past it, it is gone.
    clock.advance(HOLD.minusDays(1));
    Sessions.SignedIn used = sessions.find(second.token()).orElseThrow();
    assertEquals(clock.instant().plus(HOLD), used.expiresAt(), "renewed by use");
    clock.advance(HOLD.minusDays(1));
    assertTrue(sessions.find(second.token()).isPresent(), "still held: used a day in");
    clock.advance(HOLD);
    assertTrue(sessions.find(second.token()).isEmpty(), "expired");
    sessions.requireNotHeld("carol");
    assertEquals("carol", sessions.start("carol", null).nick());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void theStoreKeepsOnlyDigestsAndUnknownTokensSignNobodyIn(String kind) throws Exception {
    SessionStore store = store(kind);
    Sessions sessions = sessions(store);
    Sessions.SignedIn dave = sessions.start("dave", null);
    SessionStore.StoredSession kept =
        store.find(Sessions.digest(dave.token()), clock.instant()).orElseThrow();
    assertFalse(kept.digest().contains(dave.token().substring(Sessions.TOKEN_PREFIX.length())));
    assertEquals(64, kept.digest().length(), "SHA-256 in hex");
    assertTrue(store.find(dave.token(), clock.instant()).isEmpty(), "not kept by the token");

    assertTrue(sessions.find(dave.token() + "x").isEmpty());
    assertTrue(sessions.find("ps_nothing").isEmpty());
    assertTrue(sessions.find("an-integration-secret").isEmpty());
    assertTrue(sessions.find(null).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void namesNobodyMayTakeAreRefused(String kind) throws Exception {
    Sessions sessions = sessions(store(kind));
    assertThrows(ReservedNameException.class, () -> sessions.start("CI-bot", null));
    assertThrows(InvalidInputException.class, () -> sessions.start("zero\u200bwidth", null));
    assertThrows(InvalidInputException.class, () -> sessions.start(" ", null));
    assertThrows(InvalidInputException.class, () -> sessions.start("x".repeat(33), null));
  }

  /** Many starts for one nick at once, as from several nodes: one session holds it. */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void concurrentStartsForOneNickMakeOneSession(String kind) throws Exception {
    SessionStore store = store(kind);
    int starts = 16;
    ExecutorService pool = Executors.newFixedThreadPool(starts);
    try {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        Sessions sessions = sessions(store);
        tries.add(
            () -> {
              try {
                sessions.start("erin", null);
                return true;
              } catch (NickHeldException held) {
                return false;
              }
            });
      }
      int started = 0;
      for (Future<Boolean> result : pool.invokeAll(tries)) {
        started += result.get() ? 1 : 0;
      }
      assertEquals(1, started);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A clock the test moves; read by the code under test on its own threads. */
  private static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration by) {
      now.updateAndGet(instant -> instant.plus(by));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
