package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.BanStore;
import io.parley.core.BanStore.Ban;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bans on both stores: in force until their end, lifted, listed; and Redis's set of rooms with bans
 * under concurrent bans and lifts.
 */
class BanStoreTest {

  private final TestStores stores = new TestStores();

  @AfterEach
  void close() {
    stores.close();
  }

  private BanStore store(String kind) throws Exception {
    return kind.equals("embedded") ? stores.embedded().bans() : new RedisBans(stores.redis());
  }

  private static Ban ban(String room, String nick, Instant until) {
    return new Ban(room, nick, nick, until.truncatedTo(ChronoUnit.MILLIS), "olga");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void aBanHoldsUntilItsEndOrItsLift(String kind) throws Exception {
    BanStore bans = store(kind);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Ban bob = ban("lobby", "bob", now.plusSeconds(600));
    bans.ban(bob);
    bans.ban(ban("ops", "carol", now.plusSeconds(60)));
    assertEquals(bob, bans.find("lobby", "bob", now).orElseThrow());
    assertTrue(bans.find("lobby", "bob", now.plusSeconds(601)).isEmpty(), "ended");
    assertTrue(bans.find("ops", "bob", now).isEmpty(), "another room");
    assertEquals(List.of(bob), bans.bans("lobby", now));
    assertEquals(2, bans.all(now).size());
    assertEquals(1, bans.all(now.plusSeconds(120)).size(), "carol's ended");

    Ban longer = ban("lobby", "bob", now.plusSeconds(3600));
    bans.ban(longer);
    assertEquals(
        longer, bans.find("lobby", "bob", now).orElseThrow(), "a new ban replaces the old");
    assertTrue(bans.lift("lobby", "bob", now));
    assertFalse(bans.lift("lobby", "bob", now), "nothing left to lift");
    assertTrue(bans.find("lobby", "bob", now).isEmpty());
  }

  /**
   * Two nodes at once: one bans and lifts a nick over and over in a room, the other bans another
   * nick there and lifts it. Whenever the second's ban is in force, the room stays among the rooms
   * with bans (what other nodes' sweeps read), whatever the first's lifts do meanwhile.
   */
  @Test
  void aRoomWithABanInForceStaysListedWhileOtherNodesBanAndLiftThere() throws Exception {
    Redis redis = stores.redis();
    RedisBans first = new RedisBans(redis);
    RedisBans second = new RedisBans(redis);
    String room = "busy";
    AtomicBoolean going = new AtomicBoolean(true);
    ExecutorService nodes = Executors.newFixedThreadPool(1);
    try {
      CompletableFuture<Void> churn =
          CompletableFuture.runAsync(
              () -> {
                while (going.get()) {
                  Instant now = Instant.now();
                  first.ban(ban(room, "x", now.plusSeconds(60)));
                  first.lift(room, "x", now);
                }
              },
              nodes);
      for (int i = 0; i < 300; i++) {
        Instant now = Instant.now();
        second.ban(ban(room, "y", now.plusSeconds(60)));
        assertTrue(
            second.all(now).stream().anyMatch(ban -> ban.nickKey().equals("y")),
            "round " + i + ": the room with y's ban is listed");
        second.lift(room, "y", now);
      }
      going.set(false);
      churn.get(30, TimeUnit.SECONDS);
    } finally {
      going.set(false);
      nodes.shutdownNow();
    }
  }
}
