package io.parley.store;

import io.parley.core.Appended;
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
 * Writes batches of appends to the embedded store, each in one transaction: the messages, their
 * rooms' new last sequence numbers, the idempotency keys they were posted under, and the trim of
 * what falls out of each room's history. Not thread-safe: {@link BatchedAppends} calls it from one
 * thread at a time, and it alone keeps {@link #known}.
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
    Map<List<String>, Message> keyed = new HashMap<>();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO message (room, seq, author, text, sent_at, integration)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (BatchedAppends.Append append : batch) {
        IdempotencyKey key = append.key();
        if (key != null) {
          Optional<Message> first =
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
        insert.setString(1, append.room());
        insert.setLong(2, next.lastSeq());
        insert.setString(3, append.author());
        insert.setString(4, append.text());
        insert.setObject(5, append.sentAt().atOffset(ZoneOffset.UTC));
        insert.setBoolean(6, append.integration());
        insert.addBatch();
        Message message =
            new Message(
                next.lastId().toString(),
                append.room(),
                append.author(),
                append.text(),
                append.sentAt(),
                append.integration());
        budget.added(message);
        lastAt.merge(append.room(), append.sentAt(), (a, b) -> a.isAfter(b) ? a : b);
        results.add(new Appended(message, false));
        if (key != null) {
          keyed.put(List.of(key.poster(), key.key()), message);
          keys.remember(c, key, message);
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

  private RoomState known(Connection c, String room) throws SQLException {
    RoomState state = known.get(room);
    if (state == null) {
      state = RoomTable.find(c, room).orElseGet(RoomState::fresh);
      known.put(room, state);
    }
    return state;
  }
}
