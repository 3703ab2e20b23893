package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Who is typing in one room: each nick counts from its signal until {@value #EXPIRE_MILLIS} ms
 * after its last one, or until it posts. The room's streams hear of a change in {@code event:
 * typing} (no id: nothing is stored), at most once every {@value #COALESCE_MILLIS} ms, so a room of
 * busy typists costs one event a second. Thread-safe; its flushes run one at a time on the timer
 * (only one is scheduled at once), so the events it offers stay in order.
 */
final class RoomTyping {

  static final long COALESCE_MILLIS = 1000;
  static final long EXPIRE_MILLIS = 5000;

  private final String room;
  private final EventEncoder events;
  private final ScheduledExecutorService timer;
  private final Consumer<OutboundSseEvent> offer;

  // All guarded by this.
  private final Map<String, Long> lastSignal = new HashMap<>();
  private List<String> shown = List.of();
  private long shownAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS);

  /** When the next flush is scheduled ({@link System#nanoTime}), or {@link Long#MAX_VALUE}. */
  private long flushAt = Long.MAX_VALUE;

  RoomTyping(
      String room,
      EventEncoder events,
      ScheduledExecutorService timer,
      Consumer<OutboundSseEvent> offer) {
    this.room = room;
    this.events = events;
    this.timer = timer;
    this.offer = offer;
  }

  /** The nick typed, on any node. */
  synchronized void typed(String nick) {
    lastSignal.put(nick, System.nanoTime());
    flushIn(0);
  }

  /** The nick posted: it is not typing any more. */
  synchronized void stopped(String nick) {
    if (lastSignal.remove(nick) != null) {
      flushIn(0);
    }
  }

  /** Who the room's streams were last told is typing. */
  synchronized List<String> shown() {
    return shown;
  }

  /**
   * Guarded by this: has a flush run in {@code nanos}, or as soon after as the coalescing allows,
   * unless one is scheduled by then (an extra flush finds nothing changed and tells nothing).
   */
  private void flushIn(long nanos) {
    long now = System.nanoTime();
    long earliest = shownAt + TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS) - now;
    long delay = Math.max(nanos, earliest);
    if (flushAt - now <= delay) {
      return;
    }
    try {
      var unused = timer.schedule(this::flush, delay, TimeUnit.NANOSECONDS);
      flushAt = now + delay;
    } catch (RejectedExecutionException stopping) {
      // the room's node stops: nobody is to be told any more
    }
  }

  private void flush() {
    OutboundSseEvent event;
    synchronized (this) {
      long now = System.nanoTime();
      if (flushAt - now <= 0) {
        flushAt = Long.MAX_VALUE;
      }
      if (now - shownAt < TimeUnit.MILLISECONDS.toNanos(COALESCE_MILLIS)) {
        flushIn(0); // too soon after the last event: later
        return;
      }
      long expiry = TimeUnit.MILLISECONDS.toNanos(EXPIRE_MILLIS);
      lastSignal.values().removeIf(at -> now - at >= expiry);
      if (!lastSignal.isEmpty()) {
        flushIn(Math.max(0, Collections.min(lastSignal.values()) + expiry - now));
      }
      List<String> typing = new ArrayList<>(lastSignal.keySet());
      Collections.sort(typing);
      if (typing.equals(shown)) {
        return;
      }
      shown = List.copyOf(typing);
      event = events.typing(room, shown);
    }
    offer.accept(event);
    synchronized (this) {
      shownAt = System.nanoTime(); // the next event comes a whole interval after this one
    }
  }
}
