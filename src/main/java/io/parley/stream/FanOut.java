package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands one room's events to its members, in the order they were offered, without the offering
 * thread waiting (a post is answered without waiting for the fan-out). One round at a time runs on
 * {@code rounds}; events that queued up while the last round went out go out together, so a busy
 * room writes several events per connection at once. A round to many members is split in up to
 * {@code parts} parts, the others handed to {@code helpers}, and ends when all are done, so each
 * member still gets the rounds in order. Thread-safe.
 */
final class FanOut {

  private static final Logger LOG = Logger.getLogger(FanOut.class.getName());

  /** A round to at least this many members is split between threads. */
  static final int SPLIT_AT = 256;

  /** An event and the members it goes to: the room's when it was offered. */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the array is the room's own snapshot
  private record Offer(OutboundSseEvent event, RoomMember[] to, CompletableFuture<Void> handed) {}

  private final String room;
  private final Executor rounds;
  private final Executor helpers;
  private final int parts;

  /** Offered and not yet handed, in order; guarded by itself. */
  private final List<Offer> queued = new ArrayList<>();

  /** Whether a round runs or is due; guarded by {@link #queued}. */
  private boolean running;

  FanOut(String room, Executor rounds, Executor helpers, int parts) {
    this.room = room;
    this.rounds = rounds;
    this.helpers = helpers;
    this.parts = parts;
  }

  /**
   * Queues an event for {@code to} (an array no one changes) and, if no round is due, starts one;
   * {@code handed} (or null) completes once every member has it.
   */
  void offer(OutboundSseEvent event, RoomMember[] to, CompletableFuture<Void> handed) {
    synchronized (queued) {
      queued.add(new Offer(event, to, handed));
      if (running) {
        return;
      }
      running = true;
    }
    try {
      rounds.execute(this::run);
    } catch (RejectedExecutionException stopping) {
      synchronized (queued) {
        running = false; // the application is stopping; its streams are ended with a goodbye
      }
    }
  }

  /**
   * Hands what is queued, round after round, until nothing is queued: each member queues the events
   * and writes what its connection takes without blocking. A member that is closed or falls too far
   * behind refuses them (and has left the room by then).
   */
  private void run() {
    while (true) {
      List<Offer> round;
      synchronized (queued) {
        if (queued.isEmpty()) {
          running = false;
          return;
        }
        round = List.copyOf(queued);
        queued.clear();
      }
      for (int first = 0, end; first < round.size(); first = end) {
        RoomMember[] to = round.get(first).to();
        List<OutboundSseEvent> together = new ArrayList<>();
        for (end = first; end < round.size() && round.get(end).to() == to; end++) {
          together.add(round.get(end).event());
        }
        hand(together, to);
        round.subList(first, end).stream()
            .map(Offer::handed)
            .filter(Objects::nonNull)
            .forEach(handed -> handed.complete(null));
      }
    }
  }

  /** Hands events to members, split between this thread and helpers when they are many. */
  private void hand(List<OutboundSseEvent> together, RoomMember[] to) {
    int split = Math.min(parts, to.length / (SPLIT_AT / 2)); // 2 or more from SPLIT_AT members on
    if (split < 2) {
      hand(together, to, 0, to.length);
      return;
    }
    int size = (to.length + split - 1) / split;
    List<CompletableFuture<Void>> helped = new ArrayList<>();
    for (int from = size; from < to.length; from += size) {
      int start = from;
      int end = Math.min(to.length, from + size);
      try {
        helped.add(CompletableFuture.runAsync(() -> hand(together, to, start, end), helpers));
      } catch (RejectedExecutionException stopping) {
        hand(together, to, start, end);
      }
    }
    hand(together, to, 0, size);
    for (CompletableFuture<Void> part : helped) {
      try {
        part.get();
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt(); // the application stops; its streams are ended
        return;
      } catch (ExecutionException e) {
        LOG.log(Level.WARNING, "Cannot hand events to part of room " + room, e.getCause());
      }
    }
  }

  private void hand(List<OutboundSseEvent> together, RoomMember[] to, int from, int end) {
    for (int i = from; i < end; i++) {
      RoomMember member = to[i];
      try {
        member.send(together);
      } catch (IllegalStateException refused) {
        // closed, or cut off as too slow: it resumes with Last-Event-ID
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Cannot hand events to " + member.sink() + " in room " + room, e);
      }
    }
  }
}
