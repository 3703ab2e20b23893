package io.parley.store;

import io.parley.core.Message;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads the embedded store's rooms and messages, for any thread. */
final class EmbeddedReader {

  private static final String COLUMNS = "seq, author, text, sent_at, integration";

  private final EmbeddedDatabase database;
  private final int historySize;

  EmbeddedReader(EmbeddedDatabase database, int historySize) {
    this.database = database;
    this.historySize = historySize;
  }

  /** The room's latest messages, oldest first. */
  List<Message> latest(String room, int limit) {
    List<Message> newestFirst =
        messages(
            "SELECT " + COLUMNS + " FROM message WHERE room = ? ORDER BY seq DESC LIMIT ?",
            room,
            room,
            limit);
    Collections.reverse(newestFirst);
    return newestFirst;
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
    List<Message> following =
        messages(
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

  Optional<Message> find(String room, String id) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    List<Message> found =
        messages(
            "SELECT m.seq, m.author, m.text, m.sent_at, m.integration FROM message m"
                + " JOIN room r ON r.name = m.room"
                + " WHERE m.room = ? AND m.seq = ? AND r.incarnation = ?",
            room,
            room,
            parsed.get().seq(),
            parsed.get().incarnation());
    return found.stream().findFirst();
  }

  Optional<String> oldestId(String room) {
    List<Message> oldest =
        messages(
            "SELECT " + COLUMNS + " FROM message WHERE room = ? ORDER BY seq LIMIT 1", room, room);
    return oldest.stream().findFirst().map(Message::id);
  }

  List<RoomSummary> rooms(String after, int limit) {
    return database.use("list rooms", c -> RoomTable.list(c, after, limit));
  }

  /**
   * Runs a query over one room's messages ({@link #COLUMNS}, in order); the parameters are bound in
   * order.
   */
  private List<Message> messages(String sql, String room, Object... parameters) {
    return database.use(
        "read room " + room,
        c -> {
          try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              select.setObject(i + 1, parameters[i]);
            }
            Optional<RoomState> state = RoomTable.find(c, room);
            List<Message> messages = new ArrayList<>();
            if (state.isEmpty()) {
              return messages;
            }
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                messages.add(
                    new Message(
                        new EmbeddedId(state.get().incarnation(), rows.getLong(1)).toString(),
                        room,
                        rows.getString(2),
                        rows.getString(3),
                        rows.getObject(4, OffsetDateTime.class).toInstant(),
                        rows.getBoolean(5)));
              }
            }
            return messages;
          }
        });
  }
}
