package io.parley.store;

import io.parley.core.Appended;
import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes batches of appends to the embedded store, each in one transaction: the entries (and what
 * an edit or deletion changes in its message), their rooms' new last sequence numbers, the
 * idempotency keys they were posted under, and the trim of what falls out of each room's history.
 * Not thread-safe: {@link BatchedAppends} calls it from one thread at a time, and it alone keeps
 * {@link #known}.
 */
final class EmbeddedWriter {

  private final EmbeddedDatabase database;
  private final StorageBudget budget;
  private final int historySize;

  /**
   * Each written room's state as this writer last committed it, read from the store the first time.
   */
  private final Map<String, RoomState> known = new HashMap<>();

  private final EmbeddedIdempotencyKeys keys = new EmbeddedIdempotencyKeys();

  EmbeddedWriter(EmbeddedDatabase database, StorageBudget budget, int historySize) {
    this.database = database;
    this.budget = budget;
    this.historySize = historySize;
  }

  /**
   * Writes the batch and answers each append in order: its message, or the one first posted under
   * its idempotency key (a repeat). Nothing of a batch is stored when this throws.
   */
  List<Appended> write(List<BatchedAppends.Append> batch) {
    Map<String, RoomState> before = new HashMap<>();
    long keptBefore = budget.kept();
    boolean committed = false;
    try {
      List<Appended> results =
          database.inTransaction("append to the embedded store", c -> write(c, batch, before));
      committed = true;
      return results;
    } finally {
      if (!committed) {
        known.keySet().removeAll(before.keySet()); // read again from the store next time
        budget.restore(keptBefore);
      }
    }
  }

  /** Writes the batch on {@code c}, putting in {@code before} each room's state before it. */
  private List<Appended> write(
      Connection c, List<BatchedAppends.Append> batch, Map<String, RoomState> before)
      throws SQLException {
    List<Appended> results = new ArrayList<>(batch.size());
    Map<String, Instant> lastAt = new HashMap<>();
    // The batch's own keys: a repeat within one batch is found here, not yet in the table.
    Map<List<String>, Entry> keyed = new HashMap<>();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO message (room, seq, author, text, sent_at, integration, kind,"
                + " target_seq, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (BatchedAppends.Append append : batch) {
        IdempotencyKey key = append.key();
        if (key != null) {
          Optional<Entry> first =
              Optional.ofNullable(keyed.get(List.of(key.poster(), key.key())))
                  .or(() -> keys.firstUnder(c, key, append.sentAt()));
          if (first.isPresent()) {
            results.add(new Appended(first.get(), true));
            continue;
          }
        }
        RoomState state = known(c, append.room());
        before.putIfAbsent(append.room(), state);
        RoomState next = state.next();
        known.put(append.room(), next);
        Long target = targetSeq(append, next);
        boolean withdrawn = false;
        if (append.kind() != BatchedAppends.Kind.MESSAGE) {
          insert.executeBatch(); // the change may be to a message of this batch
          withdrawn = !change(c, append, target);
        }
        String text = withdrawn ? "" : append.text();
        insert.setString(1, append.room());
        insert.setLong(2, next.lastSeq());
        insert.setString(3, append.author());
        insert.setString(4, text);
        insert.setObject(5, append.sentAt().atOffset(ZoneOffset.UTC));
        insert.setBoolean(6, append.integration());
        insert.setInt(7, append.kind().code());
        insert.setObject(8, target);
        insert.setObject(9, withdrawn ? append.sentAt().atOffset(ZoneOffset.UTC) : null);
        insert.addBatch();
        Entry entry = entry(append, next.lastId().toString(), text, withdrawn);
        budget.added(append.author(), text);
        lastAt.merge(append.room(), append.sentAt(), (a, b) -> a.isAfter(b) ? a : b);
        results.add(new Appended(entry, false));
        if (key != null) {
          keyed.put(List.of(key.poster(), key.key()), entry);
          keys.remember(c, key, append, entry.id());
        }
      }
      insert.executeBatch();
    }
    keys.forgetExpired(c, batch.get(0).sentAt());
    for (Map.Entry<String, RoomState> room : before.entrySet()) {
      RoomState after = known.get(room.getKey());
      RoomTable.save(c, room.getValue(), after, room.getKey(), lastAt.get(room.getKey()));
      if (after.lastSeq() > historySize) {
        budget.delete(
            c,
            "DELETE FROM message WHERE room = ? AND seq <= ?",
            room.getKey(),
            after.lastSeq() - historySize);
      }
    }
    return results;
  }

  /**
   * The sequence number of the message an edit or deletion changes, in the room as it is now; -1
   * for an id of another incarnation (nothing is changed then); null for a message.
   */
  private static Long targetSeq(BatchedAppends.Append append, RoomState room) {
    if (append.kind() == BatchedAppends.Kind.MESSAGE) {
      return null;
    }
    return EmbeddedId.parse(append.target())
        .filter(id -> id.incarnation().equals(room.incarnation()))
        .map(EmbeddedId::seq)
        .orElse(-1L);
  }

  /**
   * Sets the target's new text, or makes it a tombstone and withdraws its edits (their texts gone
   * too); false if there is no such message standing.
   */
  private static boolean change(Connection c, BatchedAppends.Append append, long target)
      throws SQLException {
    boolean edit = append.kind() == BatchedAppends.Kind.EDIT;
    try (PreparedStatement update =
        c.prepareStatement(
            edit
                ? "UPDATE message SET text = ?, edited_at = ? WHERE room = ? AND seq = ?"
                    + " AND kind = 0 AND deleted_at IS NULL"
                : "UPDATE message SET text = '', deleted_by = ?, deleted_at = ? WHERE room = ?"
                    + " AND deleted_at IS NULL"
                    + " AND ((kind = 0 AND seq = ?) OR (kind = 1 AND target_seq = ?))")) {
      update.setString(1, edit ? append.text() : append.author());
      update.setObject(2, append.sentAt().atOffset(ZoneOffset.UTC));
      update.setString(3, append.room());
      update.setLong(4, target);
      if (!edit) {
        update.setLong(5, target);
      }
      return update.executeUpdate() > 0;
    }
  }

  private static Entry entry(
      BatchedAppends.Append append, String id, String text, boolean withdrawn) {
    return switch (append.kind()) {
      case MESSAGE ->
          Message.posted(
              id, append.room(), append.author(), text, append.sentAt(), append.integration());
      case EDIT ->
          new Edit(
              id,
              append.room(),
              append.target(),
              append.author(),
              text,
              append.sentAt(),
              withdrawn);
      case DELETE ->
          new Deletion(id, append.room(), append.target(), append.author(), append.sentAt());
    };
  }

  private RoomState known(Connection c, String room) throws SQLException {
    RoomState state = known.get(room);
    if (state == null) {
      state = RoomTable.find(c, room).orElseGet(RoomState::fresh);
      known.put(room, state);
    }
    return state;
  }
}
