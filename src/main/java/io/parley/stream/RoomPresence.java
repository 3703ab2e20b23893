package io.parley.stream;

import io.parley.core.Presence;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Who is online in one room, and what its streams are told of it: the nicks of the room's streams
 * on this node (a nick with several streams counts once), each first arrival and last departure
 * passed on to {@link Presence}, and {@code presence} events, at most one per {@link #EVERY_NANOS}.
 *
 * <p>Concurrency: the nick counts and the list last told are guarded by the room's lock (its {@link
 * RoomMembers}), so that they change together with the room's membership: {@link #arrived}, {@link
 * #departed}, {@link #withNick} and {@link #shown} are called holding it. {@link #refresh} is
 * called without it; it reads and tells one list at a time, holding the room's lock while it tells,
 * so a stream that joins gets either the new list or the event with it.
 */
final class RoomPresence {

  /** Presence is told at most once per this interval; changes in between are told together. */
  static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String room;
  private final Object roomLock;
  private final Presence presence;
  private final EventEncoder events;
  private final ScheduledExecutorService scheduler;
  private final Consumer<OutboundSseEvent> tell;
  private final BooleanSupplier closed;

  // Guarded by roomLock.
  private final Map<String, Integer> streamsPerNick = new TreeMap<>();
  private List<String> shown = List.of();
  private boolean scheduled;

  /**
   * Held while a list is read and told, so that lists reach streams in the order they were read.
   */
  private final Object turn = new Object();

  /** When presence was last told; guarded by turn. */
  private long toldAt = System.nanoTime() - EVERY_NANOS;

  /**
   * @param roomLock the room's lock (see above)
   * @param tell offers an event to the room's streams; called holding the room's lock
   * @param closed whether the room is closed; read holding the room's lock
   */
  RoomPresence(
      String room,
      Object roomLock,
      Presence presence,
      EventEncoder events,
      ScheduledExecutorService scheduler,
      Consumer<OutboundSseEvent> tell,
      BooleanSupplier closed) {
    this.room = room;
    this.roomLock = roomLock;
    this.presence = presence;
    this.events = events;
    this.scheduler = scheduler;
    this.tell = tell;
    this.closed = closed;
  }

  /**
   * A stream with this nick joined; whether it is the nick's first here (then {@link #refresh} is
   * due). Holding the room's lock: presence hears a nick's changes in order.
   */
  boolean arrived(String nick) {
    boolean first = streamsPerNick.merge(nick, 1, Integer::sum) == 1;
    if (first) {
      presence.arrived(room, nick);
    }
    return first;
  }

  /** A stream with this nick left; whether it was the nick's last here. Holding the room's lock. */
  boolean departed(String nick) {
    if (streamsPerNick.merge(nick, -1, Integer::sum) != 0) {
      return false;
    }
    streamsPerNick.remove(nick);
    presence.departed(room, nick);
    return true;
  }

  /** The list last told, with {@code nick} (or null) in it. Holding the room's lock. */
  List<String> withNick(String nick) {
    Set<String> online = new TreeSet<>(shown);
    if (nick != null) {
      online.add(nick);
    }
    return List.copyOf(online);
  }

  /** The list last told (every node's nicks in cluster mode). Holding the room's lock. */
  List<String> shown() {
    return shown;
  }

  /**
   * Reads who is online (this node's nicks and, in cluster mode, the other nodes') and tells the
   * room's streams if that changed, naming who joined or left when it is one nick. A change sooner
   * than {@link #EVERY_NANOS} after the last list is told when that time is over, together with
   * whatever else changed meanwhile (many people arriving at once make a few events, not one per
   * person for each of them).
   */
  void refresh() {
    synchronized (turn) {
      Set<String> local;
      synchronized (roomLock) {
        local = Set.copyOf(streamsPerNick.keySet());
      }
      List<String> now = presence.online(room, local);
      long wait = toldAt + EVERY_NANOS - System.nanoTime();
      synchronized (roomLock) {
        if (closed.getAsBoolean() || now.equals(shown)) {
          return;
        }
        if (wait > 0) {
          refreshLater(wait);
          return;
        }
        toldAt = System.nanoTime();
        Set<String> joined = new TreeSet<>(now);
        joined.removeAll(shown);
        Set<String> left = new TreeSet<>(shown);
        left.removeAll(now);
        shown = now;
        boolean one = joined.size() + left.size() == 1;
        tell.accept(
            events.presence(
                room,
                now,
                one && !joined.isEmpty() ? joined.iterator().next() : null,
                one && !left.isEmpty() ? left.iterator().next() : null));
      }
    }
  }

  /**
   * Once per pending change: the scheduled refresh tells everything that changed until it runs.
   * Holding the room's lock.
   */
  private void refreshLater(long nanos) {
    if (scheduled) {
      return;
    }
    scheduled = true;
    try {
      var unused =
          scheduler.schedule(
              () -> {
                synchronized (roomLock) {
                  scheduled = false;
                }
                refresh();
              },
              nanos,
              TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the application is stopping; nobody is left to tell
    }
  }
}
