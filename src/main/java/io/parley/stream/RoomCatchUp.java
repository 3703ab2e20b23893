package io.parley.stream;

import io.parley.core.Entry;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * How a room's streams are caught up: from the room's recent messages when they answer, else from
 * the log, {@value #PAGE} messages at a time. The room's first stream fills the recent messages;
 * every delivered message extends them ({@link #delivered}). Thread-safe.
 */
final class RoomCatchUp {

  /** Messages read at a time for a stream's catch-up. */
  static final int PAGE = 64;

  private final String room;
  private final MessageLog log;
  private final RecentMessages recent;
  private final EventEncoder events;
  private final StreamObserver observer;
  private final int replaySize;

  RoomCatchUp(String room, RoomSetup setup, EventEncoder events) {
    this.room = room;
    this.log = setup.log();
    this.recent = new RecentMessages(setup.recentSize(), setup.recentBytes(), log::isAfter);
    this.events = events;
    this.observer = setup.observer();
    this.replaySize = setup.replaySize();
  }

  /** A stream's first events, and whether they hold all of its catch-up. */
  record Start(List<OutboundSseEvent> events, boolean complete) {}

  /**
   * The first events of a stream that starts after {@code lastEventId} (null: a first connect):
   * {@code connected}, {@code presence} (the list as this stream is to see it), a {@code reset} if
   * the room no longer holds what follows the id, and the first page of its catch-up.
   */
  Start start(String connectionId, OutboundSseEvent presence, String lastEventId) {
    CatchUp catchUp = plan(lastEventId);
    List<OutboundSseEvent> start = new ArrayList<>();
    start.add(events.connected(room, connectionId));
    start.add(presence);
    catchUp
        .reset()
        .ifPresent(
            reason -> start.add(events.reset(reason.label(), catchUp.oldestId().orElse(null))));
    catchUp.entries().forEach(entry -> start.add(events.replayed(entry, catchUp.fresh())));
    observer.caughtUp(catchUp.entries().size());
    return new Start(start, catchUp.complete());
  }

  /** How a stream that starts after {@code lastEventId} (null: a first connect) is caught up. */
  private CatchUp plan(String lastEventId) {
    if (recent.startFill()) {
      List<Entry> latest = null;
      try {
        latest = log.latest(room, recent.capacity());
      } finally {
        recent.fill(latest);
      }
    }
    return recent
        .catchUp(lastEventId, replaySize, PAGE)
        .orElseGet(() -> CatchUp.plan(log, room, lastEventId, replaySize, PAGE));
  }

  /** The next page of a stream's catch-up; see {@link CatchUpPages#after}. */
  CatchUpPages.Page after(String id) {
    List<Entry> page =
        recent
            .after(id, PAGE)
            .orElseGet(
                () -> {
                  Resume resume = log.after(room, id, PAGE);
                  if (!(resume instanceof Resume.Continue next)) {
                    throw new IllegalStateException(
                        "room " + room + " no longer holds what follows " + id);
                  }
                  return List.copyOf(next.entries());
                });
    observer.caughtUp(page.size());
    return new CatchUpPages.Page(
        page.stream()
            .map(entry -> events.replayed(entry, false))
            .map(OutboundSseEvent.class::cast)
            .toList(),
        page.size() < PAGE);
  }

  /** An entry the room is about to send its streams, in the log's order. */
  void delivered(Entry entry) {
    recent.delivered(entry);
  }
}
