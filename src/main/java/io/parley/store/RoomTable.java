package io.parley.store;

import io.parley.core.RoomSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** The embedded store's table of rooms, read and written on the caller's connection. */
final class RoomTable {

  private static final Logger LOG = Logger.getLogger(RoomTable.class.getName());

  private RoomTable() {}

  static Optional<RoomState> find(Connection c, String room) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT incarnation, last_seq FROM room WHERE name = ?")) {
      select.setString(1, room);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(new RoomState(row.getString(1), row.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /** Stores a room's new last sequence number and time, making its row if it had none. */
  static void save(Connection c, RoomState before, RoomState after, String room, Instant lastAt)
      throws SQLException {
    if (before.lastSeq() == 0) {
      try (PreparedStatement create =
          c.prepareStatement(
              "INSERT INTO room (name, incarnation, last_seq, last_at) VALUES (?, ?, ?, ?)")) {
        create.setString(1, room);
        create.setString(2, after.incarnation());
        create.setLong(3, after.lastSeq());
        create.setObject(4, lastAt.atOffset(ZoneOffset.UTC));
        create.executeUpdate();
      }
    } else {
      try (PreparedStatement bump =
          c.prepareStatement("UPDATE room SET last_seq = ?, last_at = ? WHERE name = ?")) {
        bump.setLong(1, after.lastSeq());
        bump.setObject(2, lastAt.atOffset(ZoneOffset.UTC));
        bump.setString(3, room);
        bump.executeUpdate();
      }
    }
  }

  /** Rooms by name after {@code after} (from the first when null), at most {@code limit}. */
  static List<RoomSummary> list(Connection c, String after, int limit) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT name, incarnation, last_seq FROM room WHERE name > ? ORDER BY name LIMIT ?")) {
      select.setString(1, after == null ? "" : after);
      select.setInt(2, limit);
      List<RoomSummary> rooms = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          RoomState state = new RoomState(rows.getString(2), rows.getLong(3));
          rooms.add(new RoomSummary(rows.getString(1), state.lastId().toString()));
        }
      }
      return rooms;
    }
  }

  /**
   * Gives every room a new incarnation: ids handed out before may be missing from the store, and
   * new posts must not take them again with other texts. Clients holding older ids are told to
   * reset; the messages are kept, under their new ids.
   */
  static void newIncarnations(Connection c, String why) throws SQLException {
    List<String> rooms = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT name FROM room")) {
      while (rows.next()) {
        rooms.add(rows.getString(1));
      }
    }
    if (rooms.isEmpty()) {
      return;
    }
    try (PreparedStatement update =
        c.prepareStatement("UPDATE room SET incarnation = ? WHERE name = ?")) {
      for (String room : rooms) {
        update.setString(1, RoomState.newIncarnation());
        update.setString(2, room);
        update.addBatch();
      }
      update.executeBatch();
    }
    LOG.warning(
        () ->
            "The embedded store in "
                + why
                + ": ids it handed out may be missing from it, so its "
                + rooms.size()
                + " rooms move to new ids; clients resuming with older ids are told to reset");
  }
}
