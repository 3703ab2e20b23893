package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
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
      assertEquals(3, lobby.stream().map(Entry::id).distinct().count());
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
      assertEquals(
          new Resume.Continue(posted.subList(15, 25)),
          log.after("lobby", posted.get(14).id(), 100));
      assertEquals(
          new Resume.Reset(Resume.Reason.EXPIRED), log.after("lobby", posted.get(13).id(), 100));
      assertEquals(new Resume.Continue(List.of()), log.after("lobby", posted.get(24).id(), 100));
      assertEquals(
          new Resume.Continue(posted.subList(20, 22)), log.after("lobby", posted.get(19).id(), 2));
    }
  }

  /**
   * Resumes at the edge of the history while posts trim it: every answer is the exact continuation
   * (it starts right after the id, with no gap) or an {@code expired} reset.
   */
  @Test
  void aResumeRacingTheTrimIsExactOrAReset() throws Exception {
    try (MessageLog log = new EmbeddedMessageLog(dir, 5)) {
      List<Message> first = post(log, "lobby", 5);
      List<String> ids =
          Collections.synchronizedList(new ArrayList<>(first.stream().map(Entry::id).toList()));
      ExecutorService poster = Executors.newSingleThreadExecutor();
      Future<?> posting =
          poster.submit(
              () -> {
                for (int i = 0; i < 3000; i++) {
                  ids.add(log.append("lobby", "alice", "racing " + i, AT, false).id());
                }
              });
      int exact = 0;
      int resets = 0;
      try {
        while (!posting.isDone()) {
          String edge;
          synchronized (ids) {
            edge =
                ids.get(
                    Math.max(0, ids.size() - 6)); // the id just before the oldest kept, or older
          }
          Resume resume = log.after("lobby", edge, 100);
          if (resume instanceof Resume.Continue going) {
            long expected = EmbeddedId.parse(edge).orElseThrow().seq() + 1;
            for (Entry message : going.entries()) {
              assertEquals(
                  expected++,
                  EmbeddedId.parse(message.id()).orElseThrow().seq(),
                  "a continuation from "
                      + edge
                      + " starts right after it, with no gap: "
                      + going.entries());
            }
            exact++;
          } else {
            assertEquals(new Resume.Reset(Resume.Reason.EXPIRED), resume);
            resets++;
          }
        }
        posting.get();
      } finally {
        poster.shutdownNow();
      }
      assertTrue(
          exact > 0 && resets > 0,
          "both answers came up: " + exact + " exact, " + resets + " resets");
    }
  }

  @Test
  void idsFromElsewhereAreUnknownOrMalformed() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 10)) {
      Message one = post(log, "lobby", 1).get(0);
      String incarnation = one.id().substring(0, one.id().indexOf('-'));
      assertEquals(
          new Resume.Reset(Resume.Reason.UNKNOWN), log.after("lobby", incarnation + "-2", 10));
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), log.after("lobby", "zzzzzz-1", 10));
      assertEquals(new Resume.Reset(Resume.Reason.UNKNOWN), log.after("empty", one.id(), 10));
      assertEquals(new Resume.Reset(Resume.Reason.MALFORMED), log.after("lobby", "nonsense", 10));
    }
  }

  @Test
  void idsAreOrderedWithinOneIncarnationOfARoom() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 10)) {
      List<Message> posted = post(log, "lobby", 2);
      String first = posted.get(0).id();
      String second = posted.get(1).id();
      assertTrue(log.isAfter(second, first));
      assertFalse(log.isAfter(first, second));
      assertFalse(log.isAfter(first, first));
      assertFalse(log.isAfter("zzzzzz-9", first), "another incarnation: no order");
      assertFalse(log.isAfter("nonsense", first));
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
      assertEquals(List.of(new RoomSummary("lobby", next.id())), log.rooms(null, 100));
      assertTrue(log.isAvailable());
    }
    try (MessageLog wiped = new EmbeddedMessageLog(dir.resolve("b"), 10)) {
      List<Message> fresh = post(wiped, "lobby", 3);
      assertNotEquals(posted.get(0).id(), fresh.get(0).id());
      assertEquals(
          new Resume.Reset(Resume.Reason.UNKNOWN), wiped.after("lobby", posted.get(0).id(), 10));
    }
  }

  /**
   * A data folder restored from a backup (here: copied back over the folder the store went on
   * writing after the backup) must not hand out again the ids given after the backup: its rooms
   * move to new ids, and the ids clients hold are unknown (a reset), whether the copy kept the
   * store's record of how it was left or lost it.
   */
  @Test
  void aRestoredBackupNeverHandsOutTheSameIdsAgain() throws Exception {
    for (boolean withRecord : List.of(true, false)) {
      Path live = dir.resolve("live-" + withRecord);
      Path backup = dir.resolve("backup-" + withRecord);
      List<Message> backedUp;
      try (MessageLog log = new EmbeddedMessageLog(live, 100)) {
        backedUp = post(log, "lobby", 3);
      }
      copyFolder(live, backup);
      if (!withRecord) {
        java.nio.file.Files.delete(backup.resolve("parley.state"));
      }
      List<Message> afterBackup;
      try (MessageLog log = new EmbeddedMessageLog(live, 100)) {
        afterBackup = post(log, "lobby", 2);
      }
      deleteFolder(live);
      copyFolder(backup, live);
      try (MessageLog restored = new EmbeddedMessageLog(live, 100)) {
        List<Message> again = post(restored, "lobby", 2);
        Set<String> handedOut = new java.util.HashSet<>(ids(backedUp));
        handedOut.addAll(ids(afterBackup));
        assertTrue(
            ids(again).stream().noneMatch(handedOut::contains),
            "no id again: " + again + " after " + handedOut);
        assertEquals(
            new Resume.Reset(Resume.Reason.UNKNOWN),
            restored.after("lobby", afterBackup.get(0).id(), 10));
        assertEquals(
            List.of("message 0", "message 1", "message 2", "message 0", "message 1"),
            restored.latest("lobby", 10).stream().map(e -> ((Message) e).text()).toList(),
            "the messages are kept, under new ids");
      }
    }
  }

  /**
   * Appends under one idempotency key store one message, however they race (in one batch or not),
   * and the key is forgotten after its time; another poster's same key is its own.
   */
  @Test
  void appendsUnderOneKeyStoreOneMessageUntilTheKeyExpires() throws Exception {
    try (MessageLog log = new EmbeddedMessageLog(dir, 100)) {
      IdempotencyKey key =
          new IdempotencyKey("client:192.0.2.1", "k1", java.time.Duration.ofSeconds(60));
      ExecutorService callers = Executors.newFixedThreadPool(8);
      try {
        List<Future<Appended>> copies = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
          copies.add(callers.submit(() -> log.append("lobby", "alice", "once", AT, false, key)));
        }
        Set<String> ids = new java.util.HashSet<>();
        int stored = 0;
        for (Future<Appended> copy : copies) {
          ids.add(copy.get().message().id());
          stored += copy.get().replayed() ? 0 : 1;
        }
        assertEquals(1, ids.size());
        assertEquals(1, stored);
      } finally {
        callers.shutdownNow();
      }
      assertEquals(1, log.latest("lobby", 10).size());
      assertTrue(log.append("lobby", "alice", "once", AT.plusSeconds(59), false, key).replayed());
      assertTrue(
          !log.append("lobby", "alice", "once", AT.plusSeconds(61), false, key).replayed(),
          "expired");
      IdempotencyKey others =
          new IdempotencyKey("client:192.0.2.2", "k1", java.time.Duration.ofSeconds(60));
      assertTrue(!log.append("lobby", "bob", "mine", AT, false, others).replayed());
      assertEquals(
          List.of("once", "once", "mine"),
          log.latest("lobby", 10).stream().map(e -> ((Message) e).text()).toList());
    }
  }

  /**
   * With parley.store.max-bytes, what is kept stays within it: the room whose last post is oldest
   * loses its oldest messages first, and a resume from one of them is an expired reset; the count
   * the bound uses is the one the store finds again when it opens.
   */
  @Test
  void aStoreOverItsMaxBytesTrimsTheRoomIdleLongestFirst() {
    String text = "\u804a".repeat(300); // 900 bytes in UTF-8
    long each = 5 + 900 + StorageBudget.MESSAGE_OVERHEAD;
    Path folder = dir.resolve("bounded");
    List<Message> quiet;
    List<Message> busy = new ArrayList<>();
    long kept;
    try (EmbeddedMessageLog log = new EmbeddedMessageLog(folder, 1000, true, 200 * each)) {
      quiet = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        quiet.add(log.append("quiet", "alice", text, AT, false));
      }
      for (int i = 0; i < 150; i++) {
        busy.add(log.append("busy", "alice", text, AT.plusSeconds(60), false));
      }
      kept = log.keptBytes();
      assertTrue(kept <= 200 * each, "kept " + kept);
      assertEquals(busy, log.latest("busy", 500), "the busy room keeps everything");
      List<Entry> quietNow = log.latest("quiet", 500);
      assertTrue(
          quietNow.size() < 100 && quietNow.size() >= 50 - StorageBudget.EVICT_AT_ONCE,
          "quiet kept " + quietNow.size());
      assertEquals(
          quiet.subList(100 - quietNow.size(), 100),
          quietNow,
          "the quiet room lost its oldest first");
      assertEquals(
          new Resume.Reset(Resume.Reason.EXPIRED), log.after("quiet", quiet.get(0).id(), 10));
      assertEquals((quietNow.size() + 150) * each, kept, "the count is each message's size");
    }
    try (EmbeddedMessageLog log = new EmbeddedMessageLog(folder, 1000, true, 200 * each)) {
      assertEquals(kept, log.keptBytes(), "counted again the same when the store opens");
    }
  }

  /** Closed cleanly and opened again as it was, a store keeps its ids: resuming stays exact. */
  @Test
  void aCleanlyClosedStoreKeepsItsIdsAndOneChangedBehindItsBackDoesNot() throws Exception {
    Path folder = dir.resolve("clean");
    List<Message> posted;
    try (MessageLog log = new EmbeddedMessageLog(folder, 100)) {
      posted = post(log, "lobby", 2);
    }
    try (MessageLog log = new EmbeddedMessageLog(folder, 100)) {
      assertEquals(
          new Resume.Continue(List.of(posted.get(1))), log.after("lobby", posted.get(0).id(), 10));
    }
    java.nio.file.Files.setLastModifiedTime(
        folder.resolve("parley.mv.db"), java.nio.file.attribute.FileTime.from(AT));
    try (MessageLog log = new EmbeddedMessageLog(folder, 100)) {
      assertEquals(
          new Resume.Reset(Resume.Reason.UNKNOWN), log.after("lobby", posted.get(0).id(), 10));
    }
  }

  private static List<String> ids(List<Message> messages) {
    return messages.stream().map(Entry::id).toList();
  }

  private static void copyFolder(Path from, Path to) throws java.io.IOException {
    java.nio.file.Files.createDirectories(to);
    try (var files = java.nio.file.Files.list(from)) {
      for (Path file : files.toList()) {
        java.nio.file.Files.copy(
            file, to.resolve(file.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static void deleteFolder(Path folder) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(folder)) {
      for (Path file : files.toList()) {
        java.nio.file.Files.delete(file);
      }
    }
    java.nio.file.Files.delete(folder);
  }

  @Test
  void concurrentAppendsGetGaplessIdsAndListenersHearThemInThatOrder() throws Exception {
    int threads = 8;
    int each = 150;
    List<Message> heard = Collections.synchronizedList(new ArrayList<>());
    List<Message> answered = Collections.synchronizedList(new ArrayList<>());
    try (MessageLog log = new EmbeddedMessageLog(dir, 2000)) {
      log.onAppend(
          new AppendListener() {
            @Override
            public void appended(Entry entry) {
              heard.add((Message) entry);
            }

            @Override
            public void historyLost(String room) {}
          });
      ExecutorService posters = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String author = "poster" + t;
          String room = t % 2 == 0 ? "even" : "odd";
          done.add(
              posters.submit(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      answered.add(log.append(room, author, "message " + i, AT, false));
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        posters.shutdownNow();
      }
      for (String room : List.of("even", "odd")) {
        List<Message> heardInRoom = heard.stream().filter(m -> m.room().equals(room)).toList();
        List<Long> seqs =
            heardInRoom.stream().map(m -> EmbeddedId.parse(m.id()).orElseThrow().seq()).toList();
        assertEquals(
            LongStream.rangeClosed(1, (long) threads / 2 * each).boxed().toList(),
            seqs,
            "heard in id order, no gap");
        assertEquals(heardInRoom, log.latest(room, 2000), "stored as heard");
        for (int t = 0; t < threads; t++) {
          String author = "poster" + t;
          List<String> texts =
              heardInRoom.stream()
                  .filter(m -> m.author().equals(author))
                  .map(Message::text)
                  .toList();
          if (!texts.isEmpty()) {
            assertEquals(
                IntStream.range(0, each).mapToObj(i -> "message " + i).toList(),
                texts,
                "each poster's own order kept");
          }
        }
      }
      assertEquals(
          Set.copyOf(heard), Set.copyOf(answered), "each caller was answered with what was stored");
    }
  }

  @Test
  void commitsAreWrittenAtOnceAndFreedSpaceIsReusedAfterASecond() {
    try (EmbeddedMessageLog log = new EmbeddedMessageLog(dir, 10)) {
      assertEquals("0", log.setting("WRITE_DELAY"), "an acknowledged message is in the file");
      assertEquals(
          "1000", log.setting("RETENTION_TIME"), "H2's 45 s let the file grow by ~1 GB under load");
    }
  }

  @Test
  void aListenerThatFailsDoesNotFailThePostNorLoseIt() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 10)) {
      log.onAppend(
          new AppendListener() {
            @Override
            public void appended(Entry message) {
              throw new IllegalStateException("a broken listener");
            }

            @Override
            public void historyLost(String room) {}
          });
      Message posted = log.append("lobby", "alice", "still here", AT, false);
      Message next = log.append("lobby", "bob", "and so is this", AT, false);
      assertEquals(List.of(posted, next), log.latest("lobby", 10));
    }
  }
}
