package io.parley.store;

import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The embedded store's table of posters' idempotency keys, each with the entry first appended under
 * it until the key expires. Used on the batch writer's connection, inside its transaction, so a key
 * and its entry are stored together; only the batch writer calls it (not thread-safe).
 */
final class EmbeddedIdempotencyKeys {

  /** When expired keys were last deleted. */
  private Instant checkedAt = Instant.EPOCH;

  /** The entry first appended under the key, if it is still remembered at {@code now}. */
  Optional<Entry> firstUnder(Connection c, IdempotencyKey key, Instant now) {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT message_id, room, author, text, sent_at, integration, kind, target"
                + " FROM idempotency WHERE poster = ? AND idem_key = ? AND expires_at > ?")) {
      select.setString(1, key.poster());
      select.setString(2, key.key());
      select.setObject(3, now.atOffset(ZoneOffset.UTC));
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String id = row.getString(1);
        String room = row.getString(2);
        String author = row.getString(3);
        String text = row.getString(4);
        Instant at = row.getObject(5, OffsetDateTime.class).toInstant();
        String target = row.getString(8);
        return Optional.of(
            switch (BatchedAppends.Kind.of(row.getInt(7))) {
              case MESSAGE -> Message.posted(id, room, author, text, at, row.getBoolean(6));
              case EDIT -> new Edit(id, room, target, author, text, at, false);
              case DELETE -> new Deletion(id, room, target, author, at);
            });
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read idempotency keys", e);
    }
  }

  /** Remembers the entry as the key's (over an expired use of the key, if any). */
  void remember(Connection c, IdempotencyKey key, BatchedAppends.Append append, String id)
      throws SQLException {
    try (PreparedStatement merge =
        c.prepareStatement(
            "MERGE INTO idempotency (poster, idem_key, message_id, room, author, text, sent_at,"
                + " integration, expires_at, kind, target)"
                + " KEY (poster, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      merge.setString(1, key.poster());
      merge.setString(2, key.key());
      merge.setString(3, id);
      merge.setString(4, append.room());
      merge.setString(5, append.author());
      merge.setString(6, append.text());
      merge.setObject(7, append.sentAt().atOffset(ZoneOffset.UTC));
      merge.setBoolean(8, append.integration());
      merge.setObject(9, append.sentAt().plus(key.keep()).atOffset(ZoneOffset.UTC));
      merge.setInt(10, append.kind().code());
      merge.setString(11, append.target());
      merge.executeUpdate();
    }
  }

  /** Deletes expired keys, at most once a minute. */
  void forgetExpired(Connection c, Instant now) throws SQLException {
    if (now.isBefore(checkedAt.plusSeconds(60))) {
      return;
    }
    checkedAt = now;
    try (PreparedStatement delete =
        c.prepareStatement("DELETE FROM idempotency WHERE expires_at <= ?")) {
      delete.setObject(1, now.atOffset(ZoneOffset.UTC));
      delete.executeUpdate();
    }
  }
}
