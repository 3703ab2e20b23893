package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.chat.Message;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMessageLogTest {

  @TempDir Path dir;

  private static final Instant AT = Instant.parse("2026-11-22T01:02:03.456Z");

  private static List<Message> post(MessageLog log, String room, int count) {
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      posted.add(log.append(room, "alice", "message " + i, AT, false));
    }
    return posted;
  }

  @Test
  void idsAreUniqueAndInOrderPerRoom() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 100)) {
      List<Message> lobby = post(log, "lobby", 3);
      List<Message> other = post(log, "other", 1);
      assertEquals(3, lobby.stream().map(Message::id).distinct().count());
      assertEquals(lobby, log.latest("lobby", 10));
      assertEquals(other, log.latest("other", 10));
      assertEquals(Optional.of(lobby.get(1)), log.find("lobby", lobby.get(1).id()));
      assertEquals(Optional.empty(), log.find("other", lobby.get(1).id()));
    }
  }

  @Test
  void historyIsBoundedAndResumeTellsExactFromExpired() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 10)) {
      List<Message> posted = post(log, "lobby", 25);
      assertEquals(posted.subList(15, 25), log.latest("lobby", 50));
      assertEquals(Optional.of(posted.get(15).id()), log.oldestId("lobby"));
      // the id just before the oldest kept one still resumes exactly
      assertEquals(new Resume.Continue(posted.subList(15, 25)), log.after("lobby", posted.get(14).id(), 100));
      assertEquals(new Resume.Reset(Resume.Reason.EXPIRED), log.after("lobby", posted.get(13).id(), 100));
      assertEquals(new Resume.Continue(List.of()), log.after("lobby", posted.get(24).id(), 100));
      assertEquals(new Resume.Continue(posted.subList(20, 22)), log.after("lobby", posted.get(19).id(), 2));
    }
  }

  @Test
  void idsFromElsewhereAreUnknownOrMalformed() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 10)) {
      Message one = post(log, "lobby", 1).get(0);
      String incarnation = one.id().substring(0, one.id().indexOf('-'));
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), log.after("lobby", incarnation + "-2", 10));
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), log.after("lobby", "zzzzzz-1", 10));
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), log.after("empty", one.id(), 10));
      assertEquals(new Resume.Reset(Resume.Reason.MALFORMED), log.after("lobby", "nonsense", 10));
    }
  }

  @Test
  void messagesAndIdsSurviveReopeningAndAWipedFolderGetsNewIds() {
    List<Message> posted;
    try (MessageLog log = new EmbeddedMessageLog(dir.resolve("a"), 10)) {
      posted = post(log, "lobby", 3);
    }
    try (MessageLog log = new EmbeddedMessageLog(dir.resolve("a"), 10)) {
      assertEquals(posted, log.latest("lobby", 10));
      Message next = log.append("lobby", "bob", "again", AT, false);
      assertEquals(new Resume.Continue(List.of(next)), log.after("lobby", posted.get(2).id(), 10));
      assertEquals(List.of(new RoomSummary("lobby", next.id())), log.rooms());
      assertTrue(log.isAvailable());
    }
    try (MessageLog wiped = new EmbeddedMessageLog(dir.resolve("b"), 10)) {
      List<Message> fresh = post(wiped, "lobby", 3);
      assertNotEquals(posted.get(0).id(), fresh.get(0).id());
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), wiped.after("lobby", posted.get(0).id(), 10));
    }
  }
}
