package io.parley.stream;

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
  private final List<Message> messages = new ArrayList<>();

  /** Each held message's position: its index in {@link #messages} plus {@link #evicted}. */
  private final Map<String, Long> positions = new HashMap<>();

  private long evicted;
  private long bytes;

  /**
   * Whether it holds every message the log has (the fill read them all and none was let go since).
   */
  private boolean whole;

  private final List<Message> delivered = new ArrayList<>();

  /** {@code isAfter} tests whether the first id comes after the second in the room's log. */
  RecentMessages(int capacity, long maxBytes, BiPredicate<String, String> isAfter) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.isAfter = isAfter;
  }

  /** How many of the log's newest messages a fill reads. */
  int capacity() {
    return capacity;
  }

  /**
   * True if the caller is to read the log's newest {@link #capacity} messages now and hand them to
   * {@link #fill}: nothing is held and no other fill is under way.
   */
  synchronized boolean startFill() {
    if (capacity == 0 || state != State.EMPTY) {
      return false;
    }
    state = State.FILLING;
    return true;
  }

  /**
   * The log's newest messages, oldest first, read after {@link #startFill}; null if the read
   * failed.
   */
  synchronized void fill(List<Message> latest) {
    if (state != State.FILLING) {
      return; // given up meanwhile: too much was delivered during the read
    }
    clear();
    if (latest == null) {
      delivered.clear();
      return;
    }
    state = State.HELD;
    whole = latest.size() < capacity;
    latest.forEach(this::add);
    List<Message> meanwhile = List.copyOf(delivered);
    delivered.clear();
    meanwhile.forEach(this::extend);
  }

  /** A message delivered to the room, in the log's order. */
  synchronized void delivered(Message message) {
    switch (state) {
      case EMPTY -> {}
      case FILLING -> {
        delivered.add(message);
        if (delivered.size() > capacity) {
          delivered.clear();
          state = State.EMPTY; // the fill is out of date before it ends
        }
      }
      case HELD -> extend(message);
    }
  }

  /**
   * The catch-up of a stream that starts after {@code lastEventId} (null: with the latest {@code
   * replaySize} messages), when what is held answers it exactly: empty otherwise, and the store
   * answers. A resume gets up to {@code pageSize} messages, as from the log.
   */
  synchronized Optional<CatchUp> catchUp(String lastEventId, int replaySize, int pageSize) {
    if (state != State.HELD) {
      return Optional.empty();
    }
    if (lastEventId == null) {
      if (messages.size() < replaySize && !whole) {
        return Optional.empty();
      }
      List<Message> latest =
          List.copyOf(messages.subList(Math.max(0, messages.size() - replaySize), messages.size()));
      return Optional.of(new CatchUp(Optional.empty(), Optional.empty(), latest, true));
    }
    return after(lastEventId, pageSize)
        .map(next -> new CatchUp(Optional.empty(), Optional.empty(), next, next.size() < pageSize));
  }

  /**
   * Up to {@code limit} of the held messages that follow {@code id}, oldest first; empty if {@code
   * id} is not held.
   */
  synchronized Optional<List<Message>> after(String id, int limit) {
    Long position = state == State.HELD ? positions.get(id) : null;
    if (position == null) {
      return Optional.empty();
    }
    int from = (int) (position - evicted) + 1;
    return Optional.of(
        List.copyOf(messages.subList(from, Math.min(messages.size(), from + limit))));
  }

  /** Guarded by this. */
  private void extend(Message message) {
    if (state != State.HELD || positions.containsKey(message.id())) {
      return; // emptied, or read by the fill and delivered as well
    }
    if (!messages.isEmpty()
        && !isAfter.test(message.id(), messages.get(messages.size() - 1).id())) {
      clear();
      return;
    }
    add(message);
  }

  /** Guarded by this. */
  private void add(Message message) {
    positions.put(message.id(), evicted + messages.size());
    messages.add(message);
    bytes += bytes(message);
    while (messages.size() > capacity || (bytes > maxBytes && messages.size() > 1)) {
      Message oldest = messages.remove(0);
      positions.remove(oldest.id());
      bytes -= bytes(oldest);
      evicted++;
      whole = false;
    }
  }

  /** Guarded by this. */
  private void clear() {
    state = State.EMPTY;
    messages.clear();
    positions.clear();
    bytes = 0;
    whole = false;
  }

  private static long bytes(Message message) {
    return 2L * (message.text().length() + message.author().length());
  }
}
