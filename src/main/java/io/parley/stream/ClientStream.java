package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * One client's stream, as its room sees it (a JAX-RS {@link SseEventSink}). {@link #send}
 * never blocks and needs no thread of its own: it queues the event's bytes (bounded) and, if no
 * one is writing, writes what the connection takes now without blocking ({@link EventOutput});
 * the rest goes out when the container says the connection can take more. Several queued events
 * go out in one write. A client that stops reading therefore holds up no one, costs at most
 * {@code maxPending} queued events, and is cut off when that bound is reached.
 *
 * <p>Until the client is caught up ({@link #goLive}) live events wait in the queue. Messages the
 * catch-up already covered are dropped, whether they were queued before it or are delivered just
 * after (appended before the catch-up read, delivered after it); live messages come in the log's
 * order, so the first one the catch-up did not hold ends the filtering. The client sees each
 * message once, in order.
 */
final class ClientStream implements SseEventSink, StreamHandle, EventOutput.Listener {

  enum CloseReason {
    CLIENT_GONE,
    TOO_SLOW,
    SERVER_CLOSED
  }

  /** Bytes written in one go when several events are waiting. */
  static final int BATCH_BYTES = 32 * 1024;

  private static final CompletionStage<Void> QUEUED = CompletableFuture.completedFuture(null);

  private final String connectionId;
  private final String nick;
  private final EventOutput output;
  private final int maxPending;
  private final StreamObserver observer;
  private final BiConsumer<ClientStream, CloseReason> onClose;
  /** Held while a thread is inside the output: a write, or closing it. */
  private final ReentrantLock writing = new ReentrantLock();

  // All guarded by this.
  private final ArrayDeque<byte[]> catchUp = new ArrayDeque<>();
  private final ArrayDeque<EncodedFrame> pending = new ArrayDeque<>();
  private final Set<String> caughtUp = new HashSet<>();
  private final List<Runnable> whenClosed = new ArrayList<>();
  private boolean live;
  private boolean ready;
  private boolean draining;
  private boolean finishing;
  private boolean closed;
  private boolean closeWhenReady;
  private boolean outputClosed;

  /** A queued event: its bytes, and its id while the catch-up filter may still need it. */
  private record EncodedFrame(String id, byte[] bytes) {}

  ClientStream(
      String connectionId,
      String nick,
      EventOutput output,
      int maxPending,
      StreamObserver observer,
      BiConsumer<ClientStream, CloseReason> onClose) {
    this.connectionId = connectionId;
    this.nick = nick;
    this.output = output;
    this.maxPending = maxPending;
    this.observer = observer;
    this.onClose = onClose;
    output.listen(this);
  }

  String connectionId() {
    return connectionId;
  }

  /** The nick the client gave, or null for a stream that does not count as presence. */
  String nick() {
    return nick;
  }

  @Override
  public CompletionStage<?> send(OutboundSseEvent event) {
    send(List.of(event));
    return QUEUED;
  }

  /**
   * Queues events, in order, and writes what the connection takes now. Throws {@link
   * IllegalStateException} if the stream is closed, or is cut off now for being too far behind.
   */
  void send(List<OutboundSseEvent> events) {
    boolean tooSlow = false;
    synchronized (this) {
      if (closed) {
        // Thrown on purpose: the sender learns the stream is gone (it has left its room already).
        throw new IllegalStateException("stream " + connectionId + " is closed");
      }
      if (finishing) {
        return;
      }
      for (OutboundSseEvent event : events) {
        if (alreadyCaughtUp(event.getId())) {
          continue;
        }
        if (pending.size() >= maxPending) {
          tooSlow = true;
          break;
        }
        pending.add(new EncodedFrame(event.getId(), EncodedEvent.frameOf(event)));
      }
    }
    if (tooSlow) {
      close(CloseReason.TOO_SLOW);
      throw new IllegalStateException("stream " + connectionId + " fell too far behind");
    }
    drain();
  }

  /**
   * Sends the catch-up events first, then the live events that arrived meanwhile, less the
   * messages whose ids the catch-up already held.
   */
  void goLive(List<OutboundSseEvent> catchUpEvents, Set<String> caughtUpIds) {
    synchronized (this) {
      if (closed) {
        return;
      }
      catchUpEvents.forEach(event -> catchUp.add(EncodedEvent.frameOf(event)));
      caughtUp.addAll(caughtUpIds);
      pending.removeIf(frame -> alreadyCaughtUp(frame.id()));
      live = true;
    }
    drain();
  }

  /**
   * Ends the stream cleanly: what is queued is written, then {@code last}, then the stream is
   * closed; nothing after this is queued. A stream not yet live is simply closed.
   */
  void finish(OutboundSseEvent last) {
    boolean notLive;
    synchronized (this) {
      if (closed || finishing) {
        return;
      }
      notLive = !live || !ready;
      if (!notLive) {
        pending.add(new EncodedFrame(null, EncodedEvent.frameOf(last)));
        finishing = true;
      }
    }
    if (notLive) {
      close(CloseReason.SERVER_CLOSED);
    } else {
      drain();
    }
  }

  /** Whether the catch-up sent this message already; guarded by this. */
  private boolean alreadyCaughtUp(String id) {
    if (caughtUp.isEmpty() || id == null) {
      return false;
    }
    if (caughtUp.remove(id)) {
      return true;
    }
    caughtUp.clear();
    return false;
  }

  @Override
  public void writePossible() {
    boolean end;
    synchronized (this) {
      ready = true;
      draining = false; // whoever drained stopped at a full connection; this thread goes on
      end = closeWhenReady && !outputClosed;
    }
    if (end) {
      closeOutput();
    } else {
      drain();
    }
  }

  /**
   * The connection failed or closed (the client went away, or the server stops); the container
   * releases it itself. Returns only once no write to the stream is under way, so the container
   * may then reuse what it held.
   */
  @Override
  public void failed() {
    synchronized (this) {
      outputClosed = true; // the container has ended the connection itself
    }
    close(CloseReason.CLIENT_GONE);
    writing.lock();
    writing.unlock();
  }

  /**
   * Writes what is queued while the connection takes it, on the calling thread. One thread drains
   * at a time; it stops when the queue is empty or the connection is full (then the container's
   * {@link #writePossible()} goes on), so no event waits without someone due to write it.
   */
  private void drain() {
    synchronized (this) {
      if (draining || !live || !ready || closed) {
        return;
      }
      draining = true;
    }
    while (true) {
      synchronized (this) {
        if (closed || catchUp.isEmpty() && pending.isEmpty() && !finishing) {
          draining = false;
          return;
        }
      }
      if (!output.isReady()) {
        return; // still draining: the container calls writePossible() when the connection takes more
      }
      byte[] batch;
      int events;
      boolean finished;
      synchronized (this) {
        if (closed) {
          draining = false;
          return;
        }
        events = catchUp.size() + pending.size();
        finished = events == 0 && finishing;
        batch = finished ? null : nextBatch();
        events -= catchUp.size() + pending.size();
      }
      if (finished) {
        synchronized (this) {
          draining = false;
        }
        close(CloseReason.SERVER_CLOSED);
        return;
      }
      if (!write(batch)) {
        synchronized (this) {
          draining = false;
        }
        close(CloseReason.CLIENT_GONE);
        return;
      }
      for (int i = 0; i < events; i++) {
        observer.delivered();
      }
    }
  }

  /** The next events to write, joined up to {@link #BATCH_BYTES}; guarded by this. */
  private byte[] nextBatch() {
    byte[] first = catchUp.isEmpty() ? pending.poll().bytes() : catchUp.poll();
    if (catchUp.isEmpty() && pending.isEmpty()) {
      return first;
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream(Math.min(BATCH_BYTES * 2, first.length * 4));
    joined.writeBytes(first);
    while (joined.size() < BATCH_BYTES && !(catchUp.isEmpty() && pending.isEmpty())) {
      joined.writeBytes(catchUp.isEmpty() ? pending.poll().bytes() : catchUp.poll());
    }
    return joined.toByteArray();
  }

  private boolean write(byte[] bytes) {
    writing.lock();
    try {
      synchronized (this) {
        if (outputClosed) {
          return false;
        }
      }
      output.write(bytes);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    } finally {
      writing.unlock();
    }
  }

  @Override
  public void whenClosed(Runnable action) {
    synchronized (this) {
      if (!closed) {
        whenClosed.add(action);
        return;
      }
    }
    action.run();
  }

  @Override
  public boolean isClosed() {
    synchronized (this) {
      return closed;
    }
  }

  /** Ends the stream from the server's side (its room closes, or the server stops). */
  @Override
  public void close() {
    close(CloseReason.SERVER_CLOSED);
  }

  /**
   * Ends the stream: the queue is dropped and the response ended, once, never while a write is
   * under way (a write after the end could reach the next connection the container gives the same
   * objects).
   */
  void close(CloseReason reason) {
    List<Runnable> actions;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      catchUp.clear();
      pending.clear();
      actions = List.copyOf(whenClosed);
      whenClosed.clear();
    }
    closeOutput();
    onClose.accept(this, reason);
    actions.forEach(Runnable::run);
  }

  /**
   * Ends the response once nothing waits to be written: at once if the connection takes bytes,
   * else at the next {@link #writePossible()} (or the container fails the connection first).
   */
  private void closeOutput() {
    writing.lock();
    try {
      synchronized (this) {
        if (outputClosed) {
          return;
        }
        closeWhenReady = true;
      }
      if (!output.isReady()) {
        return;
      }
      synchronized (this) {
        if (outputClosed) {
          return;
        }
        outputClosed = true;
      }
      output.close();
    } catch (RuntimeException e) {
      // the connection is already gone; nothing more to release
    } finally {
      writing.unlock();
    }
  }
}
