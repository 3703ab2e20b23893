package io.parley.store;

import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The default message log: an embedded H2 database in a data folder, nothing to install. Each
 * commit is written to the file before {@link #append} returns ({@code WRITE_DELAY=0}), so an
 * acknowledged message survives the process being killed, and by default synced to the device too,
 * so it survives a power loss. Appends that arrive together are committed together ({@link
 * BatchedAppends}): one write and one sync for many posts. A room's ids are never handed out twice:
 * when the store may have lost some ({@link DataFileWitness}), its rooms move to new ones.
 */
public final class EmbeddedMessageLog implements MessageLog {

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
      """;

  private static final Logger LOG = Logger.getLogger(EmbeddedMessageLog.class.getName());

  /**
   * What each message counts for against parley.store.max-bytes besides its author and text: its
   * row, ids, index entry.
   */
  static final int MESSAGE_OVERHEAD = 64;

  /** Messages a room loses at a time when the store is over parley.store.max-bytes. */
  static final int EVICT_AT_ONCE = 64;

  /** Below this much free space where the store keeps its file, it does not say it is ready. */
  static final long MIN_FREE_BYTES = 1 << 20;

  /** The bytes rows of the message table count for, in SQL (see {@link #sizeOf}). */
  private static final String SIZE_OF_ROWS =
      "COALESCE(SUM(OCTET_LENGTH(author) + OCTET_LENGTH(text) + " + MESSAGE_OVERHEAD + "), 0)";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Connections open at once; more callers wait their {@link Turn}. */
  private static final int CONNECTIONS = 16;

  private final JdbcConnectionPool pool;
  private final Semaphore turns = new Semaphore(CONNECTIONS, true);
  private final int historySize;
  private final BatchedAppends appends = new BatchedAppends(this::write);
  private final boolean syncEveryCommit;
  private final long maxBytes;

  /**
   * Bytes of the messages kept, as {@link #maxBytes} counts them; only the writer of a batch
   * changes it.
   */
  private final AtomicLong storedBytes = new AtomicLong();

  private final DataFileWitness witness;
  private final Path database;

  /** The database file, to sync each commit to the device. */
  private final FileChannel synced;

  /**
   * Each written room's incarnation and last sequence number; only the writer of a batch touches
   * it.
   */
  private final Map<String, RoomState> known = new HashMap<>();

  private volatile AppendListener listener;

  /**
   * Posters' idempotency keys, in the same transactions as the messages; the batch writer's alone.
   */
  private final EmbeddedIdempotencyKeys keys = new EmbeddedIdempotencyKeys();

  public EmbeddedMessageLog(Path dataDir, int historySize) {
    this(dataDir, historySize, true);
  }

  /**
   * Opens (or makes) the store in {@code dataDir}. With {@code syncEveryCommit}, a post is
   * acknowledged only once its commit is on the device (fsync); without, once the operating system
   * has it.
   */
  public EmbeddedMessageLog(Path dataDir, int historySize, boolean syncEveryCommit) {
    this(dataDir, historySize, syncEveryCommit, 0);
  }

  /**
   * As above; with {@code maxBytes} above 0, the messages kept (their authors' and texts' UTF-8
   * bytes, plus {@value #MESSAGE_OVERHEAD} each) stay within it: past it, the rooms whose last post
   * is oldest lose their oldest messages first.
   */
  public EmbeddedMessageLog(Path dataDir, int historySize, boolean syncEveryCommit, long maxBytes) {
    this.historySize = historySize;
    this.maxBytes = maxBytes;
    this.syncEveryCommit = syncEveryCommit;
    this.database = dataDir.toAbsolutePath().resolve("parley.mv.db");
    this.witness = new DataFileWitness(dataDir, database);
    Optional<String> doubt = witness.doubt();
    // RETENTION_TIME: space freed by a commit may be written over after 1 s, not H2's 45 s. At
    // hundreds of commits a second the default kept ~1 GB of dead chunks in the file; 0 would
    // risk an unopenable file (h2database #2752, #4083). DB_CLOSE_ON_EXIT=FALSE: the application
    // closes the store when it stops ({@link #close}); H2's own JVM shutdown hook closed it while
    // the server was still finishing requests on SIGTERM, and then ran without its classes.
    String url =
        "jdbc:h2:file:"
            + dataDir.toAbsolutePath().resolve("parley")
            + ";FILE_LOCK=FS;WRITE_DELAY=0;RETENTION_TIME=1000;DB_CLOSE_ON_EXIT=FALSE";
    this.pool = JdbcConnectionPool.create(url, "parley", "");
    pool.setMaxConnections(CONNECTIONS);
    try (Turn turn = new Turn();
        Connection c = turn.connection();
        Statement s = c.createStatement()) {
      s.execute(SCHEMA);
      if (doubt.isPresent()) {
        newIncarnations(c, dataDir + " " + doubt.get());
      }
      try (ResultSet sum = s.executeQuery("SELECT " + SIZE_OF_ROWS + " FROM message")) {
        sum.next();
        storedBytes.set(sum.getLong(1));
      }
      this.synced = FileChannel.open(database, StandardOpenOption.READ);
      witness.opened(syncEveryCommit);
    } catch (SQLException | IOException | RuntimeException e) {
      pool.dispose();
      throw new StoreException("cannot open the embedded store in " + dataDir, e);
    }
  }

  /**
   * Gives every room a new incarnation: ids handed out before may be missing from the store, and
   * new posts must not take them again with other texts. Clients holding older ids are told to
   * reset; the messages are kept, under their new ids.
   */
  private static void newIncarnations(Connection c, String why) throws SQLException {
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
        update.setString(1, newIncarnation());
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

  @Override
  public Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    return appends.append(new BatchedAppends.Append(room, author, text, sentAt, integration, key));
  }

  /**
   * Writes a batch in one transaction: each room's messages, its new last sequence number and the
   * trim of what falls out of its history; then tells the listener, in order. Called by one thread
   * at a time ({@link BatchedAppends}), which alone touches {@link #known}.
   */
  private List<Appended> write(List<BatchedAppends.Append> batch) {
    Map<String, RoomState> before = new HashMap<>();
    List<Message> stored = new ArrayList<>(batch.size());
    List<Appended> results = new ArrayList<>(batch.size());
    // The batch's own keys: a repeat within one batch is found here, not yet in the table.
    Map<List<String>, Message> keyed = new HashMap<>();
    boolean committed = false;
    long bytesBefore = storedBytes.get();
    try (Turn turn = new Turn();
        Connection c = turn.connection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO message (room, seq, author, text, sent_at, integration) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (BatchedAppends.Append append : batch) {
            IdempotencyKey key = append.key();
            if (key != null) {
              Optional<Message> first =
                  Optional.ofNullable(keyed.get(List.of(key.poster(), key.key())))
                      .or(() -> keys.firstUnder(c, key, append.sentAt()));
              if (first.isPresent()) {
                results.add(new Appended(first.get(), true));
                continue;
              }
            }
            RoomState state = known(c, append.room());
            before.putIfAbsent(append.room(), state);
            RoomState next = state.next();
            known.put(append.room(), next);
            insert.setString(1, append.room());
            insert.setLong(2, next.lastSeq());
            insert.setString(3, append.author());
            insert.setString(4, append.text());
            insert.setObject(5, append.sentAt().atOffset(ZoneOffset.UTC));
            insert.setBoolean(6, append.integration());
            insert.addBatch();
            Message message =
                new Message(
                    next.lastId().toString(),
                    append.room(),
                    append.author(),
                    append.text(),
                    append.sentAt(),
                    append.integration());
            stored.add(message);
            storedBytes.addAndGet(sizeOf(message.author(), message.text()));
            results.add(new Appended(message, false));
            if (key != null) {
              keyed.put(List.of(key.poster(), key.key()), message);
              keys.remember(c, key, message);
            }
          }
          insert.executeBatch();
        }
        keys.forgetExpired(c, batch.get(0).sentAt());
        for (Map.Entry<String, RoomState> room : before.entrySet()) {
          saveRoom(
              c,
              room.getValue(),
              known.get(room.getKey()),
              room.getKey(),
              lastAt(stored, room.getKey()));
        }
        c.commit();
        if (syncEveryCommit) {
          synced.force(false);
        }
        committed = true;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot append to the embedded store", e);
    } finally {
      if (!committed) {
        known.keySet().removeAll(before.keySet()); // read again from the store next time
        storedBytes.set(bytesBefore);
      }
    }
    if (maxBytes > 0 && storedBytes.get() > maxBytes) {
      keepWithinMaxBytes();
    }
    AppendListener told = listener;
    if (told != null) {
      for (Message message : stored) {
        try {
          told.appended(message);
        } catch (RuntimeException e) {
          // A bug, if it ever happens: the message is stored all the same, so its poster is
          // answered 201, but the room's open streams miss it until they resume.
          LOG.log(
              Level.WARNING,
              e,
              () ->
                  "Cannot hand message "
                      + message.id()
                      + " of room "
                      + message.room()
                      + " to its streams");
        }
      }
    }
    return results;
  }

  /** A room's state as this node last wrote it, read from the store the first time. */
  private RoomState known(Connection c, String room) throws SQLException {
    RoomState state = known.get(room);
    if (state == null) {
      state = roomState(c, room).orElseGet(() -> new RoomState(newIncarnation(), 0));
      known.put(room, state);
    }
    return state;
  }

  /**
   * Stores a room's new last sequence number and time (making its row if it had none) and trims its
   * history.
   */
  private void saveRoom(
      Connection c, RoomState before, RoomState after, String room, Instant lastAt)
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
    if (after.lastSeq() > historySize) {
      try (PreparedStatement trim =
          c.prepareStatement(
              "SELECT "
                  + SIZE_OF_ROWS
                  + " FROM OLD TABLE (DELETE FROM message WHERE room = ? AND seq <= ?)")) {
        trim.setString(1, room);
        trim.setLong(2, after.lastSeq() - historySize);
        storedBytes.addAndGet(-bytesFreed(trim));
      }
    }
  }

  private static Instant lastAt(List<Message> stored, String room) {
    Instant last = Instant.EPOCH;
    for (Message message : stored) {
      if (message.room().equals(room) && message.sentAt().isAfter(last)) {
        last = message.sentAt();
      }
    }
    return last;
  }

  /** Runs a delete that answers the {@link #SIZE_OF_ROWS} of what it deleted. */
  private static long bytesFreed(PreparedStatement delete) throws SQLException {
    try (ResultSet freed = delete.executeQuery()) {
      freed.next();
      return freed.getLong(1);
    }
  }

  /** What a message counts for against {@code parley.store.max-bytes}. */
  private static long sizeOf(String author, String text) {
    return (long) author.getBytes(StandardCharsets.UTF_8).length
        + text.getBytes(StandardCharsets.UTF_8).length
        + MESSAGE_OVERHEAD;
  }

  /**
   * Deletes the oldest messages of the rooms whose last post is oldest, {@value #EVICT_AT_ONCE} at
   * a time, until what is kept is within {@code parley.store.max-bytes} (by the batch writer).
   */
  private void keepWithinMaxBytes() {
    try (Turn turn = new Turn();
        Connection c = turn.connection()) {
      while (storedBytes.get() > maxBytes) {
        String room;
        try (Statement s = c.createStatement();
            ResultSet oldest =
                s.executeQuery(
                    "SELECT r.name FROM room r WHERE EXISTS (SELECT 1 FROM message m WHERE m.room = r.name)"
                        + " ORDER BY r.last_at NULLS FIRST, r.name LIMIT 1")) {
          if (!oldest.next()) {
            return;
          }
          room = oldest.getString(1);
        }
        try (PreparedStatement evict =
            c.prepareStatement(
                "SELECT "
                    + SIZE_OF_ROWS
                    + " FROM OLD TABLE (DELETE FROM message WHERE room = ?"
                    + " AND seq < (SELECT MIN(seq) FROM message WHERE room = ?) + "
                    + EVICT_AT_ONCE
                    + ")")) {
          evict.setString(1, room);
          evict.setString(2, room);
          storedBytes.addAndGet(-bytesFreed(evict));
        }
      }
    } catch (SQLException e) {
      LOG.log(
          Level.WARNING,
          "Cannot keep the embedded store within parley.store.max-bytes; trying again after the next post",
          e);
    }
  }

  private static String newIncarnation() {
    StringBuilder tag = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      tag.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return tag.toString();
  }

  @Override
  public List<Message> latest(String room, int limit) {
    List<Message> newestFirst =
        query(
            "SELECT seq, author, text, sent_at, integration FROM message WHERE room = ? ORDER BY seq DESC LIMIT ?",
            room,
            room,
            limit);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Override
  public Resume after(String room, String id, int limit) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return new Resume.Reset(Resume.Reason.MALFORMED);
    }
    EmbeddedId after = parsed.get();
    try (Turn turn = new Turn();
        Connection c = turn.connection()) {
      Optional<RoomState> state = roomState(c, room);
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
    } catch (SQLException e) {
      throw new StoreException("cannot read room " + room, e);
    }
    List<Message> following =
        query(
            "SELECT seq, author, text, sent_at, integration FROM message WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?",
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

  @Override
  public Optional<Message> find(String room, String id) {
    Optional<EmbeddedId> parsed = EmbeddedId.parse(id);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    List<Message> found =
        query(
            "SELECT m.seq, m.author, m.text, m.sent_at, m.integration FROM message m JOIN room r ON r.name = m.room"
                + " WHERE m.room = ? AND m.seq = ? AND r.incarnation = ?",
            room,
            room,
            parsed.get().seq(),
            parsed.get().incarnation());
    return found.stream().findFirst();
  }

  @Override
  public boolean isAfter(String later, String earlier) {
    Optional<EmbeddedId> next = EmbeddedId.parse(later);
    Optional<EmbeddedId> previous = EmbeddedId.parse(earlier);
    return next.isPresent()
        && previous.isPresent()
        && next.get().incarnation().equals(previous.get().incarnation())
        && next.get().seq() > previous.get().seq();
  }

  @Override
  public Optional<String> oldestId(String room) {
    List<Message> oldest =
        query(
            "SELECT seq, author, text, sent_at, integration FROM message WHERE room = ? ORDER BY seq LIMIT 1",
            room,
            room);
    return oldest.stream().findFirst().map(Message::id);
  }

  @Override
  public List<RoomSummary> rooms(String after, int limit) {
    try (Turn turn = new Turn();
        Connection c = turn.connection();
        PreparedStatement select =
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
    } catch (SQLException e) {
      throw new StoreException("cannot list rooms", e);
    }
  }

  @Override
  public void onAppend(AppendListener listener) {
    this.listener = listener;
  }

  /** Everything appended here is told at once: there is nothing to follow. */
  @Override
  public void follow(String room) {}

  @Override
  public void unfollow(String room) {}

  /**
   * Whether the store answers and its disk has room for posts. A write that fails for want of space
   * closes H2's database; the next connection opens it again, so the store comes back by itself
   * once there is space (the first try may meet a connection of the closed one).
   */
  @Override
  public boolean isAvailable() {
    try {
      if (Files.getFileStore(database).getUsableSpace() < MIN_FREE_BYTES) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try (Turn turn = new Turn();
          Connection c = turn.connection();
          Statement s = c.createStatement()) {
        return s.execute("SELECT 1");
      } catch (SQLException e) {
        // a connection of a database closed by a failed write: the next one opens it again
      }
    }
    return false;
  }

  @Override
  public void close() {
    boolean closed = false;
    try (Turn turn = new Turn();
        Connection c = turn.connection();
        Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
      closed = true;
    } catch (SQLException e) {
      // already closed
    } finally {
      pool.dispose();
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

  /** What the messages kept count for against {@code parley.store.max-bytes} now. */
  long keptBytes() {
    return storedBytes.get();
  }

  /** One of H2's settings as the open database has it (for tests). */
  String setting(String name) {
    try (Turn turn = new Turn();
        Connection c = turn.connection();
        PreparedStatement select =
            c.prepareStatement(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
      select.setString(1, name);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read setting " + name, e);
    }
  }

  private Optional<RoomState> roomState(Connection c, String room) throws SQLException {
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

  /**
   * Runs a query over one room's messages; the first parameter is the room, the rest are bound in
   * order.
   */
  private List<Message> query(String sql, String room, Object... parameters) {
    try (Turn turn = new Turn();
        Connection c = turn.connection();
        PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        select.setObject(i + 1, parameters[i]);
      }
      Optional<RoomState> state = roomState(c, room);
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
    } catch (SQLException e) {
      throw new StoreException("cannot read room " + room, e);
    }
  }

  /**
   * A turn to use one of the pool's connections. H2's pool waits for a free connection by sleeping
   * a millisecond at a time, in a loop: a burst of connecting streams (each reads its catch-up)
   * spent most of its CPU there. Callers wait in line here instead.
   */
  private final class Turn implements AutoCloseable {
    Turn() {
      turns.acquireUninterruptibly();
    }

    Connection connection() throws SQLException {
      return pool.getConnection();
    }

    @Override
    public void close() {
      turns.release();
    }
  }

  private record RoomState(String incarnation, long lastSeq) {
    RoomState next() {
      return new RoomState(incarnation, lastSeq + 1);
    }

    EmbeddedId lastId() {
      return new EmbeddedId(incarnation, lastSeq);
    }
  }
}
