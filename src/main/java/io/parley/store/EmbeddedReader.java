package io.parley.store;

import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.Message;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads the embedded store's rooms and their logs' entries, for any thread. */
final class EmbeddedReader {

  private static final String COLUMNS =
      "seq, author, text, sent_at, integration, kind, target_seq, edited_at, deleted_at,"
          + " deleted_by";

  private final EmbeddedDatabase database;
  private final int historySize;

  EmbeddedReader(EmbeddedDatabase database, int historySize) {
    this.database = database;
    this.historySize = historySize;
  }

  /** As {@link io.parley.core.MessageLog#latest}. */
  List<Entry> latest(String room, int messages) {
    return entries(
        "SELECT "
            + COLUMNS
            + " FROM message WHERE room = ? AND seq >= COALESCE((SELECT MIN(seq) FROM (SELECT seq"
            + " FROM message WHERE room = ? AND kind = 0 AND deleted_at IS NULL ORDER BY seq DESC"
            + " LIMIT ?) AS shown), 0) ORDER BY seq",
        room,
        room,
        room,
        messages);
  }

  /** As {@link io.parley.core.MessageLog#after}. */
  Resume after(String room, String id, int limit) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return new Resume.Reset(Resume.Reason.MALFORMED);
    }
    EmbeddedId after = parsed.get();
    Optional<RoomState> state = database.use("read room " + room, c -> RoomTable.find(c, room));
    if (state.isEmpty()
        || !state.get().incarnation().equals(after.incarnation())
        || after.seq() > state.get().lastSeq()) {
      return new Resume.Reset(Resume.Reason.UNKNOWN);
    }
    // Exact when every message after the id is still kept, even if the id itself was trimmed.
    long oldestKept = Math.max(1, state.get().lastSeq() - historySize + 1);
    if (after.seq() < oldestKept - 1) {
      return new Resume.Reset(Resume.Reason.EXPIRED);
    }
    List<Entry> following =
        entries(
            "SELECT " + COLUMNS + " FROM message WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?",
            room,
            room,
            after.seq(),
            limit);
    // Posts may have trimmed the room between the check and the read: then what was read starts
    // later than the message right after the id, and only a reset is exact.
    if (!following.isEmpty()
        && EmbeddedId.parse(following.get(0).id()).orElseThrow().seq() != after.seq() + 1) {
      return new Resume.Reset(Resume.Reason.EXPIRED);
    }
    return new Resume.Continue(following);
  }

  /** As {@link io.parley.core.MessageLog#before}. */
  Resume before(String room, String id, int limit) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return new Resume.Reset(Resume.Reason.MALFORMED);
    }
    Optional<RoomState> state = database.use("read room " + room, c -> RoomTable.find(c, room));
    if (state.isEmpty() || !state.get().incarnation().equals(parsed.get().incarnation())) {
      return new Resume.Reset(Resume.Reason.UNKNOWN);
    }
    List<Entry> newestFirst =
        entries(
            "SELECT "
                + COLUMNS
                + " FROM message WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
            room,
            room,
            parsed.get().seq(),
            limit);
    List<Entry> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return new Resume.Continue(oldestFirst);
  }

  Optional<Entry> find(String room, String id) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    List<Entry> found =
        entries(
            "SELECT m."
                + COLUMNS.replace(", ", ", m.")
                + " FROM message m JOIN room r ON r.name = m.room"
                + " WHERE m.room = ? AND m.seq = ? AND r.incarnation = ?",
            room,
            room,
            parsed.get().seq(),
            parsed.get().incarnation());
    return found.stream().findFirst();
  }

  Optional<String> oldestId(String room) {
    List<Entry> oldest =
        entries(
            "SELECT " + COLUMNS + " FROM message WHERE room = ? ORDER BY seq LIMIT 1", room, room);
    return oldest.stream().findFirst().map(Entry::id);
  }

  List<RoomSummary> rooms(String after, int limit) {
    return database.use("list rooms", c -> RoomTable.list(c, after, limit));
  }

  /**
   * Runs a query over one room's entries ({@link #COLUMNS}, in order); the parameters are bound in
   * order.
   */
  private List<Entry> entries(String sql, String room, Object... parameters) {
    return database.use(
        "read room " + room,
        c -> {
          try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              select.setObject(i + 1, parameters[i]);
            }
            Optional<RoomState> state = RoomTable.find(c, room);
            List<Entry> entries = new ArrayList<>();
            if (state.isEmpty()) {
              return entries;
            }
            String incarnation = state.get().incarnation();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                entries.add(entry(rows, room, incarnation));
              }
            }
            return entries;
          }
        });
  }

  private static Entry entry(ResultSet row, String room, String incarnation) throws SQLException {
    String id = new EmbeddedId(incarnation, row.getLong(1)).toString();
    String author = row.getString(2);
    String text = row.getString(3);
    Instant at = instant(row, 4);
    Instant deletedAt = instant(row, 9);
    String target = new EmbeddedId(incarnation, row.getLong(7)).toString();
    return switch (BatchedAppends.Kind.of(row.getInt(6))) {
      case MESSAGE ->
          new Message(
              id,
              room,
              author,
              text,
              at,
              row.getBoolean(5),
              instant(row, 8),
              deletedAt,
              row.getString(10),
              null);
      case EDIT -> new Edit(id, room, target, author, text, at, deletedAt != null);
      case DELETE -> new Deletion(id, room, target, author, at);
    };
  }

  private static Instant instant(ResultSet row, int column) throws SQLException {
    OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
    return at == null ? null : at.toInstant();
  }
}
