package io.parley.store;

import io.parley.core.PrivateRoomStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Private rooms in the embedded store's database (tables {@code private_room} and {@code
 * room_member}). Thread-safe: each call runs on a connection of its own.
 */
final class EmbeddedPrivateRooms implements PrivateRoomStore {

  private final EmbeddedDatabase database;

  EmbeddedPrivateRooms(EmbeddedDatabase database) {
    this.database = database;
  }

  @Override
  public boolean create(PrivateRoom room, String ownerKey) {
    return database.inTransaction(
        "make a private room",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO private_room (name, owner, invite_digest) VALUES (?, ?, ?)")) {
            insert.setString(1, room.name());
            insert.setString(2, room.owner());
            insert.setString(3, room.inviteDigest());
            insert.executeUpdate();
          } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
              return false; // private already
            }
            throw e;
          }
          try (PreparedStatement member =
              c.prepareStatement(
                  "MERGE INTO room_member (room, nick_key, nick) VALUES (?, ?, ?)")) {
            member.setString(1, room.name());
            member.setString(2, ownerKey);
            member.setString(3, room.owner());
            member.executeUpdate();
          }
          return true;
        });
  }

  @Override
  public Optional<PrivateRoom> find(String room) {
    return database.use(
        "read a private room",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT name, owner, invite_digest FROM private_room WHERE name = ?")) {
            select.setString(1, room);
            try (ResultSet row = select.executeQuery()) {
              return row.next()
                  ? Optional.of(
                      new PrivateRoom(row.getString(1), row.getString(2), row.getString(3)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public Set<String> names() {
    return database.use(
        "list private rooms",
        c -> {
          try (PreparedStatement select = c.prepareStatement("SELECT name FROM private_room");
              ResultSet rows = select.executeQuery()) {
            Set<String> names = new HashSet<>();
            while (rows.next()) {
              names.add(rows.getString(1));
            }
            return names;
          }
        });
  }

  @Override
  public Map<String, String> members(String room) {
    return database.use(
        "list a room's members",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT nick_key, nick FROM room_member WHERE room = ?")) {
            select.setString(1, room);
            try (ResultSet rows = select.executeQuery()) {
              Map<String, String> members = new TreeMap<>();
              while (rows.next()) {
                members.put(rows.getString(1), rows.getString(2));
              }
              return members;
            }
          }
        });
  }

  @Override
  public boolean isMember(String room, String nickKey) {
    return database.use(
        "read a room's member",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement("SELECT 1 FROM room_member WHERE room = ? AND nick_key = ?")) {
            select.setString(1, room);
            select.setString(2, nickKey);
            try (ResultSet row = select.executeQuery()) {
              return row.next();
            }
          }
        });
  }

  @Override
  public void addMember(String room, String nickKey, String nick) {
    database.inTransaction(
        "add a room's member",
        c -> {
          try (PreparedStatement merge =
              c.prepareStatement(
                  "MERGE INTO room_member (room, nick_key, nick) VALUES (?, ?, ?)")) {
            merge.setString(1, room);
            merge.setString(2, nickKey);
            merge.setString(3, nick);
            return merge.executeUpdate();
          }
        });
  }

  @Override
  public boolean removeMember(String room, String nickKey) {
    return database.inTransaction(
        "remove a room's member",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM room_member WHERE room = ? AND nick_key = ?")) {
            delete.setString(1, room);
            delete.setString(2, nickKey);
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public void renewInvite(String room, String inviteDigest) {
    database.inTransaction(
        "renew a room's invite",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE private_room SET invite_digest = ? WHERE name = ?")) {
            update.setString(1, inviteDigest);
            update.setString(2, room);
            return update.executeUpdate();
          }
        });
  }
}
