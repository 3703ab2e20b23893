package io.parley.store;

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
 * The embedded store's table of posters' idempotency keys, each with the message first posted under
 * it until the key expires. Used on the batch writer's connection, inside its transaction, so a key
 * and its message are stored together; only the batch writer calls it (not thread-safe).
 */
final class EmbeddedIdempotencyKeys {

  /** When expired keys were last deleted. */
  private Instant checkedAt = Instant.EPOCH;

  /** The message first posted under the key, if it is still remembered at {@code now}. */
  Optional<Message> firstUnder(Connection c, IdempotencyKey key, Instant now) {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT message_id, room, author, text, sent_at, integration FROM idempotency"
                + " WHERE poster = ? AND idem_key = ? AND expires_at > ?")) {
      select.setString(1, key.poster());
      select.setString(2, key.key());
      select.setObject(3, now.atOffset(ZoneOffset.UTC));
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(
                new Message(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getString(4),
                    row.getObject(5, OffsetDateTime.class).toInstant(),
                    row.getBoolean(6)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read idempotency keys", e);
    }
  }

  /** Remembers the message as the key's (over an expired use of the key, if any). */
  void remember(Connection c, IdempotencyKey key, Message message) throws SQLException {
    try (PreparedStatement merge =
        c.prepareStatement(
            "MERGE INTO idempotency (poster, idem_key, message_id, room, author, text, sent_at,"
                + " integration, expires_at)"
                + " KEY (poster, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      merge.setString(1, key.poster());
      merge.setString(2, key.key());
      merge.setString(3, message.id());
      merge.setString(4, message.room());
      merge.setString(5, message.author());
      merge.setString(6, message.text());
      merge.setObject(7, message.sentAt().atOffset(ZoneOffset.UTC));
      merge.setBoolean(8, message.integration());
      merge.setObject(9, message.sentAt().plus(key.keep()).atOffset(ZoneOffset.UTC));
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
