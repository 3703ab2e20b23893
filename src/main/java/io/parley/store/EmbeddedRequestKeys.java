package io.parley.store;

import io.parley.core.RequestKeys;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Requests' idempotency keys in the embedded store's database (table {@code request_key}), each
 * read and written in one transaction, which H2 runs one at a time for a key. Thread-safe.
 */
final class EmbeddedRequestKeys implements RequestKeys {

  private final EmbeddedDatabase database;

  EmbeddedRequestKeys(EmbeddedDatabase database) {
    this.database = database;
  }

  @Override
  public synchronized Optional<First> rememberFirst(
      String poster, String key, First first, Duration keep) {
    Instant now = Instant.now();
    return database.inTransaction(
        "remember an idempotency key",
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT request, answer FROM request_key WHERE poster = ? AND idem_key = ?"
                      + " AND expires_at > ?")) {
            select.setString(1, poster);
            select.setString(2, key);
            select.setObject(3, now.atOffset(ZoneOffset.UTC));
            try (ResultSet row = select.executeQuery()) {
              if (row.next()) {
                return Optional.of(new First(row.getString(1), row.getString(2)));
              }
            }
          }
          try (PreparedStatement merge =
              c.prepareStatement(
                  "MERGE INTO request_key (poster, idem_key, request, answer, expires_at)"
                      + " KEY (poster, idem_key) VALUES (?, ?, ?, ?, ?)")) {
            merge.setString(1, poster);
            merge.setString(2, key);
            merge.setString(3, first.request());
            merge.setString(4, first.answer());
            merge.setObject(5, now.plus(keep).atOffset(ZoneOffset.UTC));
            merge.executeUpdate();
          }
          try (PreparedStatement clear =
              c.prepareStatement("DELETE FROM request_key WHERE expires_at <= ?")) {
            clear.setObject(1, now.atOffset(ZoneOffset.UTC));
            clear.executeUpdate();
          }
          return Optional.<First>empty();
        });
  }
}
