package io.parley.store;

import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.BanStore;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.MessageLog;
import io.parley.core.PrivateRoomStore;
import io.parley.core.RequestKeys;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import io.parley.core.SessionStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The default message log: an embedded H2 database in a data folder, nothing to install ({@link
 * EmbeddedDatabase}). An acknowledged message is in the file when {@link #append} returns, and by
 * default synced to the device too, so it survives the process being killed and a power loss.
 * Appends that arrive together are committed together ({@link BatchedAppends}, {@link
 * EmbeddedWriter}): one write and one sync for many posts. A room's ids are never handed out twice:
 * when the store may have lost some ({@link DataFileWitness}), its rooms move to new ones.
 */
public final class EmbeddedMessageLog implements MessageLog {

  private static final Logger LOG = Logger.getLogger(EmbeddedMessageLog.class.getName());

  private final EmbeddedDatabase database;
  private final StorageBudget budget;
  private final EmbeddedWriter writer;
  private final EmbeddedReader reader;
  private final BatchedAppends appends = new BatchedAppends(this::write);
  private volatile AppendListener listener;

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
   * As above; with {@code maxBytes} above 0, the messages kept stay within it ({@link
   * StorageBudget}).
   */
  public EmbeddedMessageLog(Path dataDir, int historySize, boolean syncEveryCommit, long maxBytes) {
    this.database = new EmbeddedDatabase(dataDir, syncEveryCommit);
    try {
      this.budget = new StorageBudget(database, maxBytes);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    this.writer = new EmbeddedWriter(database, budget, historySize);
    this.reader = new EmbeddedReader(database, historySize);
  }

  /** The private rooms kept in the same database (see {@link EmbeddedPrivateRooms}). */
  public PrivateRoomStore privateRooms() {
    return new EmbeddedPrivateRooms(database);
  }

  /** The bans kept in the same database (see {@link EmbeddedBans}). */
  public BanStore bans() {
    return new EmbeddedBans(database);
  }

  /** The requests' idempotency keys kept in the same database. */
  public RequestKeys requestKeys() {
    return new EmbeddedRequestKeys(database);
  }

  /** The sessions kept in the same database (see {@link EmbeddedSessions}). */
  public SessionStore sessions() {
    return new EmbeddedSessions(database);
  }

  @Override
  public Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    return appends.append(
        BatchedAppends.Append.message(room, author, text, sentAt, integration, key));
  }

  @Override
  public Appended edit(
      String room, String target, String author, String text, Instant at, IdempotencyKey key) {
    return appends.append(
        new BatchedAppends.Append(
            BatchedAppends.Kind.EDIT, room, target, author, text, at, false, key));
  }

  @Override
  public Appended delete(String room, String target, String by, Instant at, IdempotencyKey key) {
    return appends.append(
        new BatchedAppends.Append(
            BatchedAppends.Kind.DELETE, room, target, by, "", at, false, key));
  }

  /** Writes a batch, keeps the store within its budget, then tells the listener, in order. */
  private List<Appended> write(List<BatchedAppends.Append> batch) {
    List<Appended> results = writer.write(batch);
    budget.keepWithin();
    AppendListener told = listener;
    if (told != null) {
      for (Appended appended : results) {
        if (!appended.replayed()) {
          tell(told, appended.entry());
        }
      }
    }
    return results;
  }

  private static void tell(AppendListener listener, Entry entry) {
    try {
      listener.appended(entry);
    } catch (RuntimeException e) {
      // A bug, if it ever happens: the message is stored all the same, so its poster is answered
      // 201, but the room's open streams miss it until they resume.
      LOG.log(
          Level.WARNING,
          e,
          () -> "Cannot hand entry " + entry.id() + " of room " + entry.room() + " to its streams");
    }
  }

  @Override
  public List<Entry> latest(String room, int messages) {
    return reader.latest(room, messages);
  }

  @Override
  public Resume after(String room, String id, int limit) {
    return reader.after(room, id, limit);
  }

  @Override
  public Resume before(String room, String id, int limit) {
    return reader.before(room, id, limit);
  }

  @Override
  public Optional<Entry> find(String room, String id) {
    return reader.find(room, id);
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
    return reader.oldestId(room);
  }

  @Override
  public List<RoomSummary> rooms(String after, int limit) {
    return reader.rooms(after, limit);
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

  /** Whether the store answers and its disk has room for posts. */
  @Override
  public boolean isAvailable() {
    return database.isAvailable();
  }

  @Override
  public void close() {
    database.close();
  }

  /** What the messages kept count for against {@code parley.store.max-bytes} now. */
  long keptBytes() {
    return budget.kept();
  }

  /** One of H2's settings as the open database has it (for tests). */
  String setting(String name) {
    return database.setting(name);
  }
}
