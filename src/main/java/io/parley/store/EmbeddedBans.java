package io.parley.store;

import io.parley.core.BanStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Bans in the embedded store's database (table {@code room_ban}). Thread-safe. */
final class EmbeddedBans implements BanStore {

  private static final String COLUMNS = "room, nick_key, nick, until_at, banned_by";

  private final EmbeddedDatabase database;

  EmbeddedBans(EmbeddedDatabase database) {
    this.database = database;
  }

  @Override
  public void ban(Ban ban) {
    database.inTransaction(
        "ban a nick",
        c -> {
          try (PreparedStatement merge =
              c.prepareStatement(
                  "MERGE INTO room_ban ("
                      + COLUMNS
                      + ") KEY (room, nick_key) VALUES (?, ?, ?, ?, ?)")) {
            merge.setString(1, ban.room());
            merge.setString(2, ban.nickKey());
            merge.setString(3, ban.nick());
            merge.setObject(4, ban.until().atOffset(ZoneOffset.UTC));
            merge.setString(5, ban.by());
            merge.executeUpdate();
          }
          try (PreparedStatement clear =
              c.prepareStatement("DELETE FROM room_ban WHERE until_at <= ?")) {
            clear.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            clear.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean lift(String room, String nickKey, Instant now) {
    return database.inTransaction(
        "lift a ban",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM room_ban WHERE room = ? AND nick_key = ? AND until_at > ?")) {
            delete.setString(1, room);
            delete.setString(2, nickKey);
            delete.setObject(3, now.atOffset(ZoneOffset.UTC));
            return delete.executeUpdate() > 0;
          }
        });
  }

  @Override
  public Optional<Ban> find(String room, String nickKey, Instant now) {
    return select(
            "SELECT " + COLUMNS + " FROM room_ban WHERE room = ? AND nick_key = ? AND until_at > ?",
            room,
            nickKey,
            now.atOffset(ZoneOffset.UTC))
        .stream()
        .findFirst();
  }

  @Override
  public List<Ban> bans(String room, Instant now) {
    return select(
        "SELECT " + COLUMNS + " FROM room_ban WHERE room = ? AND until_at > ? ORDER BY nick_key",
        room,
        now.atOffset(ZoneOffset.UTC));
  }

  @Override
  public List<Ban> all(Instant now) {
    return select(
        "SELECT " + COLUMNS + " FROM room_ban WHERE until_at > ? ORDER BY room, nick_key",
        now.atOffset(ZoneOffset.UTC));
  }

  private List<Ban> select(String sql, Object... parameters) {
    return database.use(
        "read bans",
        c -> {
          try (PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              select.setObject(i + 1, parameters[i]);
            }
            return bans(select);
          }
        });
  }

  private static List<Ban> bans(PreparedStatement select) throws SQLException {
    List<Ban> bans = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        bans.add(
            new Ban(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getObject(4, OffsetDateTime.class).toInstant(),
                rows.getString(5)));
      }
    }
    return bans;
  }
}
