package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.Message;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A room's recent messages: an unbroken stretch of its log, or nothing. */
class RecentMessagesTest {

  private static Message message(int seq) {
    return Message.posted("r-" + seq, "lobby", "alice", "text " + seq, Instant.EPOCH, false);
  }

  private static List<Message> messages(int first, int last) {
    return IntStream.rangeClosed(first, last).mapToObj(RecentMessagesTest::message).toList();
  }

  private static RecentMessages recent(int capacity, long maxBytes) {
    return new RecentMessages(
        capacity,
        maxBytes,
        (later, earlier) ->
            Integer.parseInt(later.substring(2)) > Integer.parseInt(earlier.substring(2)));
  }

  private static List<String> ids(Optional<CatchUp> catchUp) {
    return catchUp.orElseThrow().entries().stream().map(Entry::id).toList();
  }

  private static List<String> ids(int first, int last) {
    return messages(first, last).stream().map(Entry::id).toList();
  }

  @Test
  void aFilledRoomAnswersResumesAndStartsFromMemory() {
    RecentMessages recent = recent(10, 1 << 20);
    assertTrue(recent.catchUp(null, 3, 64).isEmpty(), "nothing held before the fill");
    assertTrue(recent.startFill());
    assertFalse(recent.startFill(), "one fill at a time");
    recent.fill(messages(1, 10));
    recent.delivered(message(11));

    assertEquals(ids(9, 11), ids(recent.catchUp(null, 3, 64)));
    assertEquals(ids(6, 11), ids(recent.catchUp("r-5", 3, 64)));
    assertEquals(ids(6, 7), ids(recent.catchUp("r-5", 3, 2)));
    assertFalse(
        recent.catchUp("r-5", 3, 2).orElseThrow().complete(), "a full page: more may follow");
    assertTrue(recent.catchUp("r-11", 3, 64).orElseThrow().entries().isEmpty());
    assertTrue(
        recent.catchUp("r-1", 3, 64).isEmpty(), "let go to stay within 10: the store answers");
    assertTrue(recent.catchUp("x-5", 3, 64).isEmpty(), "not an id it holds: the store answers");
  }

  @Test
  void messagesDeliveredWhileTheFillReadsAreAddedOnceAfterIt() {
    RecentMessages recent = recent(100, 1 << 20);
    assertTrue(recent.startFill());
    recent.delivered(message(4)); // appended before the read, delivered during it: read as well
    recent.delivered(message(5));
    recent.fill(messages(1, 4));
    recent.delivered(message(5)); // told twice
    recent.delivered(message(6));
    assertEquals(ids(1, 6), ids(recent.catchUp(null, 50, 64)));
  }

  @Test
  void aRoomWithFewerMessagesThanTheReplayIsWholeUntilOneIsLetGo() {
    RecentMessages recent = recent(5, 1 << 20);
    assertTrue(recent.startFill());
    recent.fill(messages(1, 2));
    assertEquals(ids(1, 2), ids(recent.catchUp(null, 50, 64)), "the log has only these");
    recent.delivered(message(3));
    recent.delivered(message(4));
    recent.delivered(message(5));
    recent.delivered(message(6));
    assertTrue(
        recent.catchUp(null, 50, 64).isEmpty(),
        "r-1 was let go: fewer than 50 held, the store has more");
    assertEquals(ids(2, 6), ids(recent.catchUp(null, 5, 64)));
  }

  @Test
  void aMessageThatDoesNotExtendItEmptiesIt() {
    RecentMessages recent = recent(10, 1 << 20);
    recent.startFill();
    recent.fill(messages(5, 8));
    recent.delivered(message(3)); // older, and not held: a follower behind the read
    assertTrue(recent.catchUp("r-6", 3, 64).isEmpty());
    assertTrue(recent.startFill(), "filled again by the next stream");
  }

  @Test
  void tooManyDeliveredDuringTheFillGiveItUp() {
    RecentMessages recent = recent(3, 1 << 20);
    recent.startFill();
    messages(1, 4).forEach(recent::delivered);
    recent.fill(messages(1, 3));
    assertTrue(recent.catchUp("r-2", 3, 64).isEmpty());
  }

  @Test
  void aFailedReadLeavesItEmpty() {
    RecentMessages recent = recent(3, 1 << 20);
    recent.startFill();
    recent.fill(null);
    assertTrue(recent.catchUp(null, 3, 64).isEmpty());
    assertTrue(recent.startFill());
  }

  @Test
  void itsTextStaysWithinItsBytes() {
    // Each message here is 2 * ("text N".length() + "alice".length()) = 22 bytes.
    RecentMessages recent = recent(100, 66);
    recent.startFill();
    recent.fill(messages(1, 9));
    assertEquals(ids(8, 9), ids(recent.catchUp("r-7", 3, 64)));
    assertTrue(recent.catchUp("r-6", 3, 64).isEmpty(), "let go to stay within 66 bytes");
  }

  @Test
  void noCapacityHoldsNothing() {
    RecentMessages recent = recent(0, 1 << 20);
    assertFalse(recent.startFill());
    recent.delivered(message(1));
    assertTrue(recent.catchUp(null, 3, 64).isEmpty());
  }

  @Test
  void deliveredEditsAndDeletionsChangeTheHeldMessages() {
    RecentMessages recent = recent(20, 1 << 20);
    assertTrue(recent.startFill());
    recent.fill(messages(1, 5));
    Instant at = Instant.EPOCH.plusSeconds(9);
    recent.delivered(new Edit("r-6", "lobby", "r-2", "alice", "new two", at, false));
    recent.delivered(new Edit("r-7", "lobby", "r-5", "alice", "new five", at, false));
    recent.delivered(new Deletion("r-8", "lobby", "r-5", "mod", at));

    List<? extends Entry> all = recent.catchUp("r-1", 3, 64).orElseThrow().entries();
    assertEquals("new two", ((Message) all.get(0)).text());
    assertEquals(at, ((Message) all.get(0)).editedAt());
    Message five = (Message) all.get(3);
    assertTrue(five.removed());
    assertEquals("", five.text());
    assertTrue(((Edit) all.get(5)).withdrawn(), "the deleted message's edit is withdrawn");

    // A first connect's three latest messages as they stand: 2, 3 and 4 (5 is deleted), and the
    // entries after them.
    assertEquals(
        List.of("r-2", "r-3", "r-4", "r-5", "r-6", "r-7", "r-8"), ids(recent.catchUp(null, 3, 64)));
  }

  @Test
  void aFirstConnectReadsTheStoreWhenTooFewMessagesStandInMemory() {
    RecentMessages recent = recent(4, 1 << 20);
    assertTrue(recent.startFill());
    recent.fill(messages(1, 4));
    recent.delivered(new Deletion("r-5", "lobby", "r-4", "mod", Instant.EPOCH));
    assertTrue(
        recent.catchUp(null, 4, 64).isEmpty(),
        "three messages stand in memory, the store may hold a fourth");
  }
}
