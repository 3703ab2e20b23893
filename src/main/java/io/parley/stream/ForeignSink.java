package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * An {@link SseEventSink} that is not one of Parley's streams (Jersey's own, say) registered with a
 * room. Such a sink may block while it writes, so its events go to it one at a time, in order, on a
 * thread of {@code writers}, never on the room's; at most {@code maxPending} wait, and a sink that
 * falls further behind is closed. A send that fails ends it too.
 */
final class ForeignSink implements RoomMember {

  private final SseEventSink sink;
  private final Executor writers;
  private final int maxPending;
  private final Departure onEnd;

  // Guarded by this.
  private final ArrayDeque<OutboundSseEvent> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean ended;

  /**
   * {@code onEnd} hears once that the sink ended: {@code TOO_SLOW} with the failure, or {@code
   * CLIENT_GONE} when it was closed.
   */
  ForeignSink(SseEventSink sink, Executor writers, int maxPending, Departure onEnd) {
    this.sink = sink;
    this.writers = writers;
    this.maxPending = maxPending;
    this.onEnd = onEnd;
  }

  @Override
  public String toString() {
    return "sink " + sink;
  }

  @Override
  public SseEventSink sink() {
    return sink;
  }

  @Override
  public String nick() {
    return null;
  }

  @Override
  public void send(List<OutboundSseEvent> events) {
    boolean start;
    boolean tooSlow;
    boolean gone;
    synchronized (this) {
      gone = ended || sink.isClosed();
    }
    if (gone) {
      end(null);
      throw new IllegalStateException("the sink is closed");
    }
    synchronized (this) {
      tooSlow = queue.size() + events.size() > maxPending;
      if (!tooSlow) {
        queue.addAll(events);
      }
      start = !tooSlow && !writing;
      writing |= start;
    }
    if (tooSlow) {
      end(new IllegalStateException("the sink fell more than " + maxPending + " events behind"));
      throw new IllegalStateException("the sink fell too far behind");
    }
    if (start) {
      writers.execute(this::write);
    }
  }

  /** Sends what is queued, one event after the other, until nothing is. */
  private void write() {
    while (true) {
      OutboundSseEvent next;
      synchronized (this) {
        next = ended ? null : queue.poll();
        if (next == null) {
          writing = false;
          return;
        }
      }
      try {
        sink.send(next).toCompletableFuture().join();
      } catch (RuntimeException e) {
        end(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        return;
      }
    }
  }

  @Override
  public void close(CloseReason reason) {
    end(null);
  }

  private void end(Throwable failure) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      queue.clear();
    }
    try {
      sink.close();
    } catch (RuntimeException e) {
      // closed either way
    }
    onEnd.left(this, failure == null ? CloseReason.CLIENT_GONE : CloseReason.TOO_SLOW, failure);
  }
}
