package io.parley.store;

import io.parley.core.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sessions in the embedded store's database (table {@code nick_session}), so they survive a
 * restart. A nick key is unique in the table: of two starts for one key, the database keeps one.
 * Thread-safe: each call runs on a connection of its own.
 */
final class EmbeddedSessions implements SessionStore {

  /** Expired sessions are deleted at most this often (and any one as its nick is taken again). */
  private static final long SWEEP_SECONDS = 60;

  private final EmbeddedDatabase database;
  private final AtomicReference<Instant> sweptAt = new AtomicReference<>(Instant.EPOCH);

  EmbeddedSessions(EmbeddedDatabase database) {
    this.database = database;
  }

  @Override
  public boolean start(StoredSession session, Instant now) {
    return database.inTransaction(
        "start a session",
        c -> {
          deleteExpired(c, now, session.nickKey());
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO nick_session (digest, nick, nick_key, expires_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, session.digest());
            insert.setString(2, session.nick());
            insert.setString(3, session.nickKey());
            insert.setObject(4, utc(session.expiresAt()));
            insert.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
              return false; // the nick key is held: a unique constraint refused the row
            }
            throw e;
          }
        });
  }

  @Override
  public Optional<StoredSession> find(String digest, Instant now) {
    return select("digest", digest, now);
  }

  @Override
  public Optional<StoredSession> holder(String nickKey, Instant now) {
    return select("nick_key", nickKey, now);
  }

  @Override
  public void renew(String digest, Instant expiresAt) {
    database.use(
        "renew a session",
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE nick_session SET expires_at = ? WHERE digest = ?")) {
            update.setObject(1, utc(expiresAt));
            update.setString(2, digest);
            return update.executeUpdate();
          }
        });
  }

  @Override
  public void end(String digest) {
    database.inTransaction(
        "end a session",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM nick_session WHERE digest = ?")) {
            delete.setString(1, digest);
            return delete.executeUpdate();
          }
        });
  }

  /** {@code column} is one of this class's own names, never a caller's text. */
  private Optional<StoredSession> select(String column, String value, Instant now) {
    return database.use(
        "read a session",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT digest, nick, nick_key, expires_at FROM nick_session WHERE "
                      + column
                      + " = ? AND expires_at > ?")) {
            select.setString(1, value);
            select.setObject(2, utc(now));
            try (ResultSet row = select.executeQuery()) {
              return row.next()
                  ? Optional.of(
                      new StoredSession(
                          row.getString(1),
                          row.getString(2),
                          row.getString(3),
                          row.getObject(4, OffsetDateTime.class).toInstant()))
                  : Optional.empty();
            }
          }
        });
  }

  /** Deletes the expired session of this nick key, and every expired one now and then. */
  private void deleteExpired(Connection c, Instant now, String nickKey) throws SQLException {
    Instant last = sweptAt.get();
    boolean sweep =
        now.isAfter(last.plusSeconds(SWEEP_SECONDS)) && sweptAt.compareAndSet(last, now);
    try (PreparedStatement delete =
        c.prepareStatement(
            sweep
                ? "DELETE FROM nick_session WHERE expires_at <= ?"
                : "DELETE FROM nick_session WHERE expires_at <= ? AND nick_key = ?")) {
      delete.setObject(1, utc(now));
      if (!sweep) {
        delete.setString(2, nickKey);
      }
      delete.executeUpdate();
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
