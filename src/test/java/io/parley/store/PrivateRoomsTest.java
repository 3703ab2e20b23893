package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.PrivateRoomStore;
import io.parley.core.PrivateRoomStore.PrivateRoom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Private rooms kept on both stores: made once, members, invites. */
class PrivateRoomsTest {

  private final TestStores stores = new TestStores();

  @AfterEach
  void close() throws Exception {
    stores.close();
  }

  private PrivateRoomStore store(String kind) throws Exception {
    return kind.equals("embedded")
        ? stores.embedded().privateRooms()
        : new RedisPrivateRooms(stores.redis());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void aRoomIsMadeOnceWithItsOwnerAsMemberAndKeepsItsMembersAndInvite(String kind)
      throws Exception {
    PrivateRoomStore rooms = store(kind);
    assertEquals(Optional.empty(), rooms.find("team-x"));
    assertEquals(Map.of(), rooms.members("team-x"));
    assertTrue(rooms.create(new PrivateRoom("team-x", "Olga", "digest-1"), "olga"));
    assertFalse(rooms.create(new PrivateRoom("team-x", "Mallory", "digest-2"), "mallory"));
    assertEquals(Optional.of(new PrivateRoom("team-x", "Olga", "digest-1")), rooms.find("team-x"));
    assertEquals(Map.of("olga", "Olga"), rooms.members("team-x"));
    assertTrue(rooms.names().contains("team-x"));

    rooms.addMember("team-x", "max", "Max");
    assertTrue(rooms.isMember("team-x", "max"));
    assertFalse(rooms.isMember("team-x", "mallory"));
    assertFalse(rooms.isMember("team-y", "max"));
    assertTrue(rooms.removeMember("team-x", "max"));
    assertFalse(rooms.removeMember("team-x", "max"));
    assertFalse(rooms.isMember("team-x", "max"));

    rooms.renewInvite("team-x", "digest-3");
    assertEquals("digest-3", rooms.find("team-x").orElseThrow().inviteDigest());
  }

  /** Two nodes (here threads) making one room at once: one of them makes it. */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void makingOneRoomAtOnceMakesItOnce(String kind) throws Exception {
    PrivateRoomStore rooms = store(kind);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String owner = "owner" + i;
        tries.add(() -> rooms.create(new PrivateRoom("race", owner, "d" + owner), owner));
      }
      int made = 0;
      for (Future<Boolean> result : pool.invokeAll(tries)) {
        made += result.get() ? 1 : 0;
      }
      assertEquals(1, made);
      String owner = rooms.find("race").orElseThrow().owner();
      assertEquals(Map.of(owner, owner), rooms.members("race"));
    } finally {
      pool.shutdownNow();
    }
  }
}
