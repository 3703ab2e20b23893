package io.parley.stream;

import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The newest messages of one room, kept in memory so that most streams are caught up without
 * reading the store: those that start without an id, and those that resume from an id it holds.
 *
 * <p>What it holds is always an unbroken stretch of the room's log that ends with the newest
 * message the room was delivered. It is filled once from the log ({@link #startFill}, then {@link
 * #fill}), and from then on extended by every message delivered to the room, which come in the
 * log's order; those delivered while the fill reads are kept aside and added after it. A message
 * that does not extend it (one older than its newest and not in it, which a node that fell behind
 * can be delivered) empties it: the store answers until the next fill, as it does without it. It
 * holds at most {@code capacity} messages and about {@code maxBytes} of text. Thread-safe.
 */
final class RecentMessages {

  private enum State {
    /** Holds nothing: catch-ups read the store; the next stream's join fills it. */
    EMPTY,
    /** A fill reads the log; deliveries wait in {@link #delivered}. */
    FILLING,
    HELD
  }

  private final int capacity;
  private final long maxBytes;
  private final BiPredicate<String, String> isAfter;

  // All guarded by this.
  private State state = State.EMPTY;
  private final List<Entry> entries = new ArrayList<>();

  /** Each held entry's position: its index in {@link #entries} plus {@link #evicted}. */
  private final Map<String, Long> positions = new HashMap<>();

  private long evicted;
  private long bytes;

  /**
   * Whether it holds every entry the log has (the fill read them all and none was let go since).
   */
  private boolean whole;

  private final List<Entry> delivered = new ArrayList<>();

  /** {@code isAfter} tests whether the first id comes after the second in the room's log. */
  RecentMessages(int capacity, long maxBytes, BiPredicate<String, String> isAfter) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.isAfter = isAfter;
  }

  /** How many of the log's latest messages a fill reads (with the entries among them). */
  int capacity() {
    return capacity;
  }

  /**
   * True if the caller is to read the log's latest {@link #capacity} messages now ({@link
   * io.parley.core.MessageLog#latest}) and hand them to {@link #fill}: nothing is held and no other
   * fill is under way.
   */
  synchronized boolean startFill() {
    if (capacity == 0 || state != State.EMPTY) {
      return false;
    }
    state = State.FILLING;
    return true;
  }

  /**
   * The log's latest entries, oldest first, read after {@link #startFill}; null if the read failed.
   */
  synchronized void fill(List<? extends Entry> latest) {
    if (state != State.FILLING) {
      return; // given up meanwhile: too much was delivered during the read
    }
    clear();
    if (latest == null) {
      delivered.clear();
      return;
    }
    state = State.HELD;
    whole = standing(latest, 0) < capacity;
    latest.forEach(this::add);
    List<Entry> meanwhile = List.copyOf(delivered);
    delivered.clear();
    meanwhile.forEach(this::extend);
  }

  /** An entry delivered to the room, in the log's order. */
  synchronized void delivered(Entry entry) {
    switch (state) {
      case EMPTY -> {}
      case FILLING -> {
        delivered.add(entry);
        if (delivered.size() > capacity) {
          delivered.clear();
          state = State.EMPTY; // the fill is out of date before it ends
        }
      }
      case HELD -> extend(entry);
    }
  }

  /**
   * The catch-up of a stream that starts after {@code lastEventId} (null: with the latest {@code
   * replaySize} messages as they stand, and the entries among them), when what is held answers it
   * exactly: empty otherwise, and the store answers. A resume gets up to {@code pageSize} entries,
   * as from the log.
   */
  synchronized Optional<CatchUp> catchUp(String lastEventId, int replaySize, int pageSize) {
    if (state != State.HELD) {
      return Optional.empty();
    }
    if (lastEventId == null) {
      int from = entries.size();
      int found = 0;
      while (from > 0 && found < replaySize) {
        from--;
        found += standing(entries.subList(from, from + 1), 0);
      }
      if (found < replaySize && !whole) {
        return Optional.empty();
      }
      List<Entry> latest = List.copyOf(entries.subList(from, entries.size()));
      return Optional.of(new CatchUp(Optional.empty(), Optional.empty(), latest, true, true));
    }
    return after(lastEventId, pageSize)
        .map(
            next ->
                new CatchUp(
                    Optional.empty(), Optional.empty(), next, next.size() < pageSize, false));
  }

  /**
   * Up to {@code limit} of the held entries that follow {@code id}, oldest first; empty if {@code
   * id} is not held.
   */
  synchronized Optional<List<Entry>> after(String id, int limit) {
    Long position = state == State.HELD ? positions.get(id) : null;
    if (position == null) {
      return Optional.empty();
    }
    int from = (int) (position - evicted) + 1;
    return Optional.of(List.copyOf(entries.subList(from, Math.min(entries.size(), from + limit))));
  }

  /** Guarded by this. */
  private void extend(Entry entry) {
    if (state != State.HELD || positions.containsKey(entry.id())) {
      return; // emptied, or read by the fill and delivered as well
    }
    if (!entries.isEmpty() && !isAfter.test(entry.id(), entries.get(entries.size() - 1).id())) {
      clear();
      return;
    }
    if (entry instanceof Edit edit) {
      held(edit.target())
          .filter(target -> !target.removed())
          .ifPresent(target -> replace(target, target.edited(edit.text(), edit.editedAt())));
    } else if (entry instanceof Deletion deletion) {
      held(deletion.target())
          .ifPresent(
              target -> replace(target, target.deleted(deletion.by(), deletion.deletedAt())));
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i) instanceof Edit edit && edit.target().equals(deletion.target())) {
          entries.set(i, edit.withdraw());
        }
      }
    }
    add(entry);
  }

  /** The held message with this id, if any. Guarded by this. */
  private Optional<Message> held(String id) {
    Long position = positions.get(id);
    return position != null && entries.get((int) (position - evicted)) instanceof Message message
        ? Optional.of(message)
        : Optional.empty();
  }

  /** Puts a held message's new state in its place. Guarded by this. */
  private void replace(Message before, Message after) {
    entries.set((int) (positions.get(before.id()) - evicted), after);
    bytes += bytes(after) - bytes(before);
  }

  /** Guarded by this. */
  private void add(Entry entry) {
    positions.put(entry.id(), evicted + entries.size());
    entries.add(entry);
    bytes += bytes(entry);
    while (entries.size() > capacity || (bytes > maxBytes && entries.size() > 1)) {
      Entry oldest = entries.remove(0);
      positions.remove(oldest.id());
      bytes -= bytes(oldest);
      evicted++;
      whole = false;
    }
  }

  /** Guarded by this. */
  private void clear() {
    state = State.EMPTY;
    entries.clear();
    positions.clear();
    bytes = 0;
    whole = false;
  }

  private static long bytes(Entry entry) {
    if (entry instanceof Message message) {
      return 2L * (message.text().length() + message.author().length());
    }
    return entry instanceof Edit edit ? 2L * (edit.text().length() + edit.author().length()) : 64;
  }

  /** How many of the entries from {@code from} on are messages that stand (not deleted). */
  private static int standing(List<? extends Entry> entries, int from) {
    int count = 0;
    for (Entry entry : entries.subList(from, entries.size())) {
      if (entry instanceof Message message && !message.removed()) {
        count++;
      }
    }
    return count;
  }
}
