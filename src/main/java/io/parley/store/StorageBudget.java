package io.parley.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the embedded store's messages count for against {@code parley.store.max-bytes} (their
 * authors' and texts' UTF-8 bytes, plus {@value #MESSAGE_OVERHEAD} each), and the eviction that
 * keeps them within it: the rooms whose last post is oldest lose their oldest messages first. Only
 * the batch writer changes the count; anyone may read it.
 */
final class StorageBudget {

  private static final Logger LOG = Logger.getLogger(StorageBudget.class.getName());

  /** What each message counts for besides its author and text: its row, ids, index entry. */
  static final int MESSAGE_OVERHEAD = 64;

  /** Messages a room loses at a time when the store is over its budget. */
  static final int EVICT_AT_ONCE = 64;

  /** The bytes rows of the message table count for, in SQL (as {@link #sizeOf} counts them). */
  private static final String SIZE_OF_ROWS =
      "COALESCE(SUM(OCTET_LENGTH(author) + OCTET_LENGTH(text) + " + MESSAGE_OVERHEAD + "), 0)";

  private final EmbeddedDatabase database;

  /** The budget; 0 for none. */
  private final long maxBytes;

  private final AtomicLong kept = new AtomicLong();

  /** Counts what the database keeps now. */
  StorageBudget(EmbeddedDatabase database, long maxBytes) {
    this.database = database;
    this.maxBytes = maxBytes;
    kept.set(
        database.use(
            "count the stored messages",
            c -> {
              try (Statement s = c.createStatement();
                  ResultSet sum = s.executeQuery("SELECT " + SIZE_OF_ROWS + " FROM message")) {
                sum.next();
                return sum.getLong(1);
              }
            }));
  }

  /** What the messages kept count for now. */
  long kept() {
    return kept.get();
  }

  /** An entry of {@code author} and {@code text} was stored. */
  void added(String author, String text) {
    kept.addAndGet(sizeOf(author, text));
  }

  /** Sets the count back to what {@link #kept} said before a write that did not commit. */
  void restore(long before) {
    kept.set(before);
  }

  /**
   * Runs a {@code DELETE FROM message ...} and takes what it deleted off the count; parameters are
   * bound in order.
   */
  void delete(Connection c, String delete, Object... parameters) throws SQLException {
    try (PreparedStatement counted =
        c.prepareStatement("SELECT " + SIZE_OF_ROWS + " FROM OLD TABLE (" + delete + ")")) {
      for (int i = 0; i < parameters.length; i++) {
        counted.setObject(i + 1, parameters[i]);
      }
      try (ResultSet freed = counted.executeQuery()) {
        freed.next();
        kept.addAndGet(-freed.getLong(1));
      }
    }
  }

  /**
   * Deletes the oldest messages of the rooms whose last post is oldest, {@value #EVICT_AT_ONCE} at
   * a time, until what is kept is within the budget. Called by the batch writer after a commit; a
   * failure is logged and tried again after the next one.
   */
  void keepWithin() {
    if (maxBytes <= 0 || kept.get() <= maxBytes) {
      return;
    }
    try {
      database.use(
          "evict old messages",
          c -> {
            while (kept.get() > maxBytes) {
              String room;
              try (Statement s = c.createStatement();
                  ResultSet oldest =
                      s.executeQuery(
                          "SELECT r.name FROM room r"
                              + " WHERE EXISTS (SELECT 1 FROM message m WHERE m.room = r.name)"
                              + " ORDER BY r.last_at NULLS FIRST, r.name LIMIT 1")) {
                if (!oldest.next()) {
                  return null;
                }
                room = oldest.getString(1);
              }
              delete(
                  c,
                  "DELETE FROM message WHERE room = ?"
                      + " AND seq < (SELECT MIN(seq) FROM message WHERE room = ?) + "
                      + EVICT_AT_ONCE,
                  room,
                  room);
            }
            return null;
          });
    } catch (StoreException e) {
      LOG.log(
          Level.WARNING,
          "Cannot keep the embedded store within parley.store.max-bytes;"
              + " trying again after the next post",
          e);
    }
  }

  private static long sizeOf(String author, String text) {
    return (long) author.getBytes(StandardCharsets.UTF_8).length
        + text.getBytes(StandardCharsets.UTF_8).length
        + MESSAGE_OVERHEAD;
  }
}
