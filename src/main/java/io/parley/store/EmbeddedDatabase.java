package io.parley.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The embedded store's H2 database in a data folder: opened with settings under which a commit is
 * in the file when it returns, given its tables, and lent out a connection at a time (HikariCP) to
 * any thread. When the folder may have lost commits ({@link DataFileWitness}), its rooms move to
 * new incarnations as it opens.
 */
final class EmbeddedDatabase implements AutoCloseable {

  /** Below this much free space where the database keeps its file, it does not say it is ready. */
  static final long MIN_FREE_BYTES = 1 << 20;

  private static final String SCHEMA =
      """
      CREATE TABLE IF NOT EXISTS room (
        name VARCHAR(64) PRIMARY KEY,
        incarnation VARCHAR(16) NOT NULL,
        last_seq BIGINT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS message (
        room VARCHAR(64) NOT NULL,
        seq BIGINT NOT NULL,
        author VARCHAR(256) NOT NULL,
        text CHARACTER VARYING NOT NULL,
        sent_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        PRIMARY KEY (room, seq)
      );
      ALTER TABLE message ADD COLUMN IF NOT EXISTS integration BOOLEAN DEFAULT FALSE NOT NULL;
      ALTER TABLE room ADD COLUMN IF NOT EXISTS last_at TIMESTAMP(3) WITH TIME ZONE;
      CREATE TABLE IF NOT EXISTS idempotency (
        poster VARCHAR(128) NOT NULL,
        idem_key VARCHAR(64) NOT NULL,
        message_id VARCHAR(40) NOT NULL,
        room VARCHAR(64) NOT NULL,
        author VARCHAR(256) NOT NULL,
        text CHARACTER VARYING NOT NULL,
        sent_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        integration BOOLEAN NOT NULL,
        expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        PRIMARY KEY (poster, idem_key)
      );
      ALTER TABLE message ADD COLUMN IF NOT EXISTS kind SMALLINT DEFAULT 0 NOT NULL;
      ALTER TABLE message ADD COLUMN IF NOT EXISTS target_seq BIGINT;
      ALTER TABLE message ADD COLUMN IF NOT EXISTS edited_at TIMESTAMP(3) WITH TIME ZONE;
      ALTER TABLE message ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMP(3) WITH TIME ZONE;
      ALTER TABLE message ADD COLUMN IF NOT EXISTS deleted_by VARCHAR(256);
      ALTER TABLE idempotency ADD COLUMN IF NOT EXISTS kind SMALLINT DEFAULT 0 NOT NULL;
      ALTER TABLE idempotency ADD COLUMN IF NOT EXISTS target VARCHAR(40);
      CREATE TABLE IF NOT EXISTS request_key (
        poster VARCHAR(128) NOT NULL,
        idem_key VARCHAR(64) NOT NULL,
        request CHARACTER VARYING NOT NULL,
        answer CHARACTER VARYING NOT NULL,
        expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        PRIMARY KEY (poster, idem_key)
      );
      CREATE TABLE IF NOT EXISTS room_ban (
        room VARCHAR(64) NOT NULL,
        nick_key VARCHAR(1024) NOT NULL,
        nick VARCHAR(256) NOT NULL,
        until_at TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        banned_by VARCHAR(256) NOT NULL,
        PRIMARY KEY (room, nick_key)
      );
      CREATE TABLE IF NOT EXISTS nick_session (
        digest VARCHAR(64) PRIMARY KEY,
        nick VARCHAR(256) NOT NULL,
        nick_key VARCHAR(1024) NOT NULL UNIQUE,
        expires_at TIMESTAMP(3) WITH TIME ZONE NOT NULL
      );
      CREATE TABLE IF NOT EXISTS private_room (
        name VARCHAR(64) PRIMARY KEY,
        owner VARCHAR(256) NOT NULL,
        invite_digest VARCHAR(64) NOT NULL
      );
      CREATE TABLE IF NOT EXISTS room_member (
        room VARCHAR(64) NOT NULL,
        nick_key VARCHAR(1024) NOT NULL,
        nick VARCHAR(256) NOT NULL,
        PRIMARY KEY (room, nick_key)
      );
      """;

  /** Connections open at once; more callers wait for one to be given back. */
  private static final int CONNECTIONS = 16;

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  private final HikariDataSource pool;

  /** The database's own connections: pooled by {@link #pool}, and unpooled for the shutdown. */
  private final JdbcDataSource direct = new JdbcDataSource();

  private final boolean syncEveryCommit;
  private final DataFileWitness witness;
  private final Path file;

  /** The database file, to sync each commit to the device. */
  private final FileChannel synced;

  /**
   * Opens (or makes) the database in {@code dataDir}. With {@code syncEveryCommit}, a transaction
   * returns only once its commit is on the device (fsync); without, once the operating system has
   * it.
   */
  EmbeddedDatabase(Path dataDir, boolean syncEveryCommit) {
    this.syncEveryCommit = syncEveryCommit;
    this.file = dataDir.toAbsolutePath().resolve("parley.mv.db");
    this.witness = new DataFileWitness(dataDir, file);
    Optional<String> doubt = witness.doubt();
    // WRITE_DELAY=0: each commit is written to the file before it returns. RETENTION_TIME: space
    // freed by a commit may be written over after 1 s, not H2's 45 s, which let dead chunks pile
    // up under many commits a second; 0 would risk an unopenable file (h2database #2752, #4083).
    // DB_CLOSE_ON_EXIT=FALSE: the application closes the database when it stops (close); H2's own
    // shutdown hook would close it while requests are still being finished.
    String url =
        "jdbc:h2:file:"
            + dataDir.toAbsolutePath().resolve("parley")
            + ";FILE_LOCK=FS;WRITE_DELAY=0;RETENTION_TIME=1000;DB_CLOSE_ON_EXIT=FALSE";
    direct.setURL(url);
    direct.setUser("parley");
    direct.setPassword("");
    this.pool = pool(direct);
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(SCHEMA);
      if (doubt.isPresent()) {
        RoomTable.newIncarnations(c, dataDir + " " + doubt.get());
      }
      this.synced = FileChannel.open(file, StandardOpenOption.READ);
      witness.opened(syncEveryCommit);
    } catch (SQLException | IOException | RuntimeException e) {
      pool.close();
      throw new StoreException("cannot open the embedded store in " + dataDir, e);
    }
  }

  /**
   * Hands out H2's own connections (not through DriverManager, which a web application's driver may
   * not be registered with).
   */
  private static HikariDataSource pool(JdbcDataSource h2) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("parley-embedded-store");
    config.setDataSource(h2);
    config.setMaximumPoolSize(CONNECTIONS);
    config.setExceptionOverrideClassName(ClosedDatabase.class.getName());
    return new HikariDataSource(config);
  }

  /**
   * Tells HikariCP to let go of a connection whose database H2 has closed (as a write that fails
   * for want of space does); see {@link #forgetIfClosed}.
   */
  public static final class ClosedDatabase implements SQLExceptionOverride {
    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
      return closed(e)
          ? SQLExceptionOverride.Override.MUST_EVICT
          : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
  }

  /** H2's DATABASE_IS_CLOSED or DATABASE_CALLED_AT_SHUTDOWN. */
  private static boolean closed(SQLException e) {
    return e.getErrorCode() == 90098 || e.getErrorCode() == 90121;
  }

  /**
   * After a failure because H2 closed the database, lets go of every idle connection too: they
   * belong to the closed database. The next connection opens it again.
   */
  private void forgetIfClosed(SQLException e) {
    if (closed(e)) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
  }

  /** Runs work on a connection; a failure is a {@link StoreException} saying what could not be. */
  <T> T use(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.on(c);
    } catch (SQLException e) {
      forgetIfClosed(e);
      throw new StoreException("cannot " + what, e);
    }
  }

  /**
   * Runs work in one transaction, committed (and synced to the device, when so opened) before this
   * returns, or rolled back when the work or the commit fails.
   */
  <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.on(c);
        c.commit();
        if (syncEveryCommit) {
          synced.force(false);
        }
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      forgetIfClosed(e);
      throw new StoreException("cannot " + what, e);
    } catch (IOException e) {
      throw new StoreException("cannot " + what, e);
    }
  }

  /**
   * Whether the database answers and its disk has room for posts. A write that fails for want of
   * space closes H2's database; the next connection opens it again, so the store comes back by
   * itself once there is space (the first try may meet a connection of the closed one).
   */
  boolean isAvailable() {
    try {
      if (Files.getFileStore(file).getUsableSpace() < MIN_FREE_BYTES) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        return s.execute("SELECT 1");
      } catch (SQLException e) {
        forgetIfClosed(e); // a connection of a database closed by a failed write
      }
    }
    return false;
  }

  /** One of H2's settings as the open database has it. */
  String setting(String name) {
    return use(
        "read setting " + name,
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
              return row.next() ? row.getString(1) : null;
            }
          }
        });
  }

  @Override
  public void close() {
    boolean closed = false;
    // On a connection of its own, so that no pooled one is given back to a closed database.
    try (Connection c = direct.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
      closed = true;
    } catch (SQLException e) {
      // already closed
    } finally {
      pool.close();
      try {
        synced.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
    if (closed) {
      witness.closed(syncEveryCommit);
    }
  }
}
