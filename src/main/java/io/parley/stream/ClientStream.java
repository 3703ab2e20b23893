package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * One client's stream, as the room's broadcaster sees it. {@link #send} never blocks: it queues
 * the event (bounded) and a writer thread delivers the queue to the client's real sink, so a
 * client that stops reading holds up no one else and never fills the broadcaster's own buffer
 * (whose overflow path throws out of {@code broadcast} on Jersey 3.1). Until the client is caught
 * up ({@link #goLive}) live events wait in the queue. Messages the catch-up already covered are
 * dropped, whether they were queued before it or are delivered just after (appended before the
 * catch-up read, delivered after it); live messages come in the log's order, so the first one
 * the catch-up did not hold ends the filtering. The client sees each message once, in order.
 */
final class ClientStream implements SseEventSink, StreamHandle {

  enum CloseReason {
    CLIENT_GONE,
    TOO_SLOW,
    SERVER_CLOSED
  }

  private static final CompletionStage<Void> QUEUED = CompletableFuture.completedFuture(null);

  private final String connectionId;
  private final String nick;
  private final SseEventSink sink;
  private final Executor writers;
  private final int maxPending;
  private final StreamObserver observer;
  private final BiConsumer<ClientStream, CloseReason> onClose;
  /** Held while a writer is inside the real sink: Jersey's write, and its cleanup when a write fails. */
  private final ReentrantLock writing = new ReentrantLock();

  // All guarded by this.
  private final ArrayDeque<OutboundSseEvent> catchUp = new ArrayDeque<>();
  private final ArrayDeque<OutboundSseEvent> pending = new ArrayDeque<>();
  private final Set<String> caughtUp = new HashSet<>();
  private final List<Runnable> whenClosed = new ArrayList<>();
  private boolean live;
  private boolean draining;
  private boolean finishing;
  private boolean closed;

  ClientStream(
      String connectionId,
      String nick,
      SseEventSink sink,
      Executor writers,
      int maxPending,
      StreamObserver observer,
      BiConsumer<ClientStream, CloseReason> onClose) {
    this.connectionId = connectionId;
    this.nick = nick;
    this.sink = sink;
    this.writers = writers;
    this.maxPending = maxPending;
    this.observer = observer;
    this.onClose = onClose;
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
    boolean tooSlow = false;
    boolean startWriter = false;
    synchronized (this) {
      if (closed) {
        // Thrown on purpose: the broadcaster then cancels this subscription and forgets the stream.
        throw new IllegalStateException("stream " + connectionId + " is closed");
      }
      if (finishing || alreadyCaughtUp(event)) {
        return QUEUED;
      }
      if (pending.size() >= maxPending) {
        tooSlow = true;
      } else {
        pending.add(event);
        startWriter = live && !draining;
        draining |= startWriter;
      }
    }
    if (tooSlow) {
      close(CloseReason.TOO_SLOW);
      throw new IllegalStateException("stream " + connectionId + " fell too far behind");
    }
    if (startWriter) {
      startWriter();
    }
    return QUEUED;
  }

  private void startWriter() {
    try {
      writers.execute(this::drain);
    } catch (RejectedExecutionException e) {
      close(CloseReason.SERVER_CLOSED);
    }
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
      catchUp.addAll(catchUpEvents);
      caughtUp.addAll(caughtUpIds);
      pending.removeIf(this::alreadyCaughtUp);
      live = true;
      draining = true;
    }
    startWriter();
  }

  /**
   * Ends the stream cleanly: what is queued is written, then {@code last}, then the stream is
   * closed; nothing after this is queued. A stream not yet live is simply closed.
   */
  void finish(OutboundSseEvent last) {
    boolean notLive;
    boolean startWriter = false;
    synchronized (this) {
      if (closed || finishing) {
        return;
      }
      notLive = !live;
      if (live) {
        pending.add(last);
        finishing = true;
        startWriter = !draining;
        draining = true;
      }
    }
    if (notLive) {
      close(CloseReason.SERVER_CLOSED);
    } else if (startWriter) {
      startWriter();
    }
  }

  /** Whether the catch-up sent this message already; guarded by this. */
  private boolean alreadyCaughtUp(OutboundSseEvent event) {
    if (caughtUp.isEmpty() || event.getId() == null) {
      return false;
    }
    if (caughtUp.remove(event.getId())) {
      return true;
    }
    caughtUp.clear();
    return false;
  }

  private void drain() {
    while (true) {
      OutboundSseEvent next;
      boolean finished;
      synchronized (this) {
        next = closed ? null : catchUp.isEmpty() ? pending.poll() : catchUp.poll();
        finished = next == null && finishing && !closed;
        if (next == null) {
          draining = false;
          if (closed) {
            break;
          }
        }
      }
      if (finished) {
        close(CloseReason.SERVER_CLOSED);
        return;
      }
      if (next == null) {
        return;
      }
      if (!write(next)) {
        close(CloseReason.CLIENT_GONE);
        break;
      }
    }
    closeSink();
  }

  private boolean write(OutboundSseEvent event) {
    writing.lock();
    try {
      sink.send(event).toCompletableFuture().join();
      observer.delivered();
      return true;
    } catch (IllegalStateException | CompletionException e) {
      return false;
    } finally {
      writing.unlock();
    }
  }

  /**
   * When a write fails, Tomcat ends the request on one of its own threads while Jersey is still
   * cleaning up on the writer's; if Tomcat recycled the request before Jersey was done, Jersey's
   * cleanup could reach the next connection given the same request objects. Waiting here for the
   * writer keeps the two apart.
   */
  @Override
  public void connectionEnded() {
    close(CloseReason.CLIENT_GONE);
    writing.lock();
    writing.unlock();
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

  /** Called by the broadcaster when it closes or gives up on this stream. */
  @Override
  public void close() {
    close(CloseReason.SERVER_CLOSED);
  }

  /**
   * Ends the stream. The real sink is closed by the thread that writes to it: at once if no write
   * is under way, else by the writer when its write returns. Jersey's sink must never be closed
   * while a write is in flight, nor closed twice (a write that failed has closed it already):
   * either completes the request again after Tomcat has recycled it for another connection.
   */
  void close(CloseReason reason) {
    boolean writerCloses;
    List<Runnable> actions;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      catchUp.clear();
      pending.clear();
      writerCloses = draining;
      actions = List.copyOf(whenClosed);
      whenClosed.clear();
    }
    if (!writerCloses) {
      closeSink();
    }
    onClose.accept(this, reason);
    actions.forEach(Runnable::run);
  }

  private void closeSink() {
    writing.lock();
    try {
      if (!sink.isClosed()) {
        sink.close();
      }
    } catch (RuntimeException e) {
      // the connection is already gone; nothing more to release
    } finally {
      writing.unlock();
    }
  }
}
