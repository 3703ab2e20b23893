package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Appended;
import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edits and deletions as log entries, on both stores: their ids, what reads answer (messages as
 * they stand, deleted texts gone), an exact replay from every point of a sequence mixing the three
 * kinds, and idempotency keys.
 */
class LogChangesTest {

  private final Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private static final int HISTORY = 100;

  private final TestStores stores = new TestStores();

  @AfterEach
  void close() {
    stores.close();
  }

  private MessageLog log(String kind) throws Exception {
    return kind.equals("embedded")
        ? stores.embedded()
        : new RedisMessageLog(stores.redis(), HISTORY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void editsAndDeletionsAreEntriesOfTheirOwnAndReadsShowMessagesAsTheyStand(String kind)
      throws Exception {
    MessageLog log = log(kind);
    Message hello = log.append("lobby", "alice", "helo @bob", at, false);
    Message other = log.append("lobby", "bob", "hi", at, false);
    Appended edit = log.edit("lobby", hello.id(), "alice", "hello @bob", at.plusSeconds(1), null);
    Edit first = assertInstanceOf(Edit.class, edit.entry());
    assertEquals(hello.id(), first.target());
    assertTrue(log.isAfter(first.id(), other.id()), "an edit takes the next id");

    Message edited = (Message) log.find("lobby", hello.id()).orElseThrow();
    assertEquals("hello @bob", edited.text());
    assertEquals(at.plusSeconds(1), edited.editedAt());
    assertEquals(List.of("bob"), edited.mentions());
    assertEquals(at, edited.sentAt(), "the message keeps its time");

    Appended deletion = log.delete("lobby", other.id(), "moderator", at.plusSeconds(2), null);
    assertInstanceOf(Deletion.class, deletion.entry());
    Message tombstone = (Message) log.find("lobby", other.id()).orElseThrow();
    assertTrue(tombstone.removed());
    assertEquals("", tombstone.text(), "a deleted message's text is gone");
    assertEquals("moderator", tombstone.deletedBy());

    Appended late = log.edit("lobby", other.id(), "bob", "too late", at.plusSeconds(3), null);
    assertTrue(((Edit) late.entry()).withdrawn(), "an edit of a deleted message is withdrawn");
    assertEquals("", ((Edit) late.entry()).text());

    List<Entry> all = log.latest("lobby", 10);
    assertEquals(
        List.of(hello.id(), other.id(), first.id(), deletion.entry().id(), late.entry().id()),
        all.stream().map(Entry::id).toList());
    assertEquals("hello @bob", ((Message) all.get(0)).text());
    assertTrue(((Message) all.get(1)).removed());
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void deletingAMessageWithdrawsItsEditsEverywhereTheyAreRead(String kind) throws Exception {
    MessageLog log = log(kind);
    Message message = log.append("lobby", "alice", "draft", at, false);
    Edit edit = (Edit) log.edit("lobby", message.id(), "alice", "secret", at, null).entry();
    log.delete("lobby", message.id(), "alice", at, null);
    Edit read = (Edit) log.find("lobby", edit.id()).orElseThrow();
    assertTrue(read.withdrawn());
    assertFalse(
        ((Resume.Continue) log.after("lobby", message.id(), 10))
            .entries().stream()
                .anyMatch(entry -> entry instanceof Edit e && e.text().contains("secret")),
        "a resume does not hand out the deleted message's edits");
  }

  /**
   * The latest messages as they stand start a first connect: deleted ones do not count, and the
   * stretch runs from the first of them to the newest entry.
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void theLatestStretchHoldsTheLatestStandingMessages(String kind) throws Exception {
    MessageLog log = log(kind);
    Message a = log.append("lobby", "alice", "a", at, false);
    Message b = log.append("lobby", "alice", "b", at, false);
    Message c = log.append("lobby", "alice", "c", at, false);
    Entry dropC = log.delete("lobby", c.id(), "alice", at, null).entry();
    Entry editA = log.edit("lobby", a.id(), "alice", "a2", at, null).entry();
    assertEquals(
        List.of(a.id(), b.id(), c.id(), dropC.id(), editA.id()),
        log.latest("lobby", 2).stream().map(Entry::id).toList());
    assertEquals(
        List.of(b.id(), c.id(), dropC.id(), editA.id()),
        log.latest("lobby", 1).stream().map(Entry::id).toList());
  }

  /**
   * From every point of a sequence that mixes messages, edits and deletions, a client that saw the
   * log live up to that point and then applies the resume ends with the room as it stands, and the
   * resume holds every entry after the point, in order.
   */
  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void aResumeFromEveryPointReplaysInOrderAndEndsWithTheRoomAsItStands(String kind)
      throws Exception {
    MessageLog log = log(kind);
    Random random = new Random(20);
    List<Entry> live = new ArrayList<>();
    List<String> standing = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int roll = random.nextInt(10);
      Instant when = at.plusMillis(i);
      if (roll < 5 || standing.isEmpty()) {
        Message message = log.append("mix", "alice", "m" + i, when, false);
        standing.add(message.id());
        live.add(message);
      } else if (roll < 8) {
        String target = standing.get(random.nextInt(standing.size()));
        live.add(log.edit("mix", target, "alice", "e" + i, when, null).entry());
      } else {
        String target = standing.remove(random.nextInt(standing.size()));
        live.add(log.delete("mix", target, "alice", when, null).entry());
      }
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (Entry entry : log.latest("mix", 1000)) {
      if (entry instanceof Message message && !message.removed()) {
        expected.put(message.id(), message.text());
      }
    }
    assertEquals(standing, List.copyOf(expected.keySet()));
    for (int point = 0; point < live.size(); point++) {
      Map<String, String> client = new HashMap<>();
      for (Entry seen : live.subList(0, point + 1)) {
        apply(client, seen);
      }
      Resume resume = log.after("mix", live.get(point).id(), 1000);
      List<? extends Entry> replay = ((Resume.Continue) resume).entries();
      assertEquals(
          live.subList(point + 1, live.size()).stream().map(Entry::id).toList(),
          replay.stream().map(Entry::id).toList(),
          "every entry after point " + point + ", in order");
      for (Entry entry : replay) {
        if (!(entry instanceof Message message && message.removed())
            && !(entry instanceof Edit edit && edit.withdrawn())) {
          apply(client, entry);
        }
      }
      assertEquals(expected, client, "the room as it stands, resumed after point " + point);
    }
  }

  private static void apply(Map<String, String> room, Entry entry) {
    if (entry instanceof Message message) {
      room.put(message.id(), message.text());
    } else if (entry instanceof Edit edit && room.containsKey(edit.target())) {
      room.put(edit.target(), edit.text());
    } else if (entry instanceof Deletion deletion) {
      room.remove(deletion.target());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void anEditOrDeletionUnderAKeyIsStoredOnce(String kind) throws Exception {
    MessageLog log = log(kind);
    Message message = log.append("keys", "alice", "one", at, false);
    IdempotencyKey editKey = new IdempotencyKey("user:alice", "edit-1", Duration.ofMinutes(5));
    Appended first = log.edit("keys", message.id(), "alice", "two", at, editKey);
    Appended again = log.edit("keys", message.id(), "alice", "two", at, editKey);
    assertFalse(first.replayed());
    assertTrue(again.replayed());
    assertEquals(first.entry(), again.entry());

    IdempotencyKey deleteKey = new IdempotencyKey("user:alice", "delete-1", Duration.ofMinutes(5));
    Appended deleted = log.delete("keys", message.id(), "alice", at, deleteKey);
    Appended repeated = log.delete("keys", message.id(), "alice", at, deleteKey);
    assertTrue(repeated.replayed());
    assertEquals(deleted.entry(), repeated.entry());
    assertEquals(3, log.latest("keys", 10).size(), "the message, one edit, one deletion");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "redis"})
  void entriesBeforeAnIdScrollBackAsTheyStand(String kind) throws Exception {
    MessageLog log = log(kind);
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      posted.add(log.append("back", "alice", "m" + i, at, false));
    }
    log.delete("back", posted.get(1).id(), "alice", at, null);
    Resume older = log.before("back", posted.get(4).id(), 3);
    List<? extends Entry> page = ((Resume.Continue) older).entries();
    assertEquals(
        List.of(posted.get(1).id(), posted.get(2).id(), posted.get(3).id()),
        page.stream().map(Entry::id).toList());
    assertTrue(((Message) page.get(0)).removed());
    assertEquals(
        List.of(), ((Resume.Continue) log.before("back", posted.get(0).id(), 3)).entries());
    assertEquals(new Resume.Reset(Resume.Reason.MALFORMED), log.before("back", "not an id", 3));
  }

  /** Redis keeps a hash of changed messages; it lets go of those trimmed from the stream. */
  @org.junit.jupiter.api.Test
  void redisForgetsTheChangesOfTrimmedMessages() {
    Redis redis = stores.redis();
    MessageLog log = new RedisMessageLog(redis, 10);
    for (int i = 0; i < 30; i++) {
      Message message = log.append("trim", "alice", "m" + i, at, false);
      log.edit("trim", message.id(), "alice", "e" + i, at, null);
    }
    long changes = redis.call("count changes", c -> c.hlen(redis.changesKey("trim")));
    assertTrue(changes <= 11, "changes kept: " + changes);
  }
}
