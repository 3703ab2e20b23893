package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * One client's stream, as its room sees it (a JAX-RS {@link SseEventSink}). {@link #send} never
 * blocks and needs no thread of its own: it queues the event's bytes ({@link StreamQueue}, bounded)
 * and, if no one is writing, writes what the connection takes now without blocking; the rest goes
 * out when the container says the connection can take more ({@link #writePossible}). A client that
 * stops reading therefore holds up no one, and is cut off when live events would pass the bound.
 * The catch-up ({@link #goLive}) is read from the log a page at a time, each page once the client
 * has taken the one before, on the reader (never on a thread that fans events out). The client sees
 * each message once, in order.
 *
 * <p>Concurrency: one lock, this, guards the phase, the queue and the flags below. One thread at a
 * time drains ({@code draining}); it writes outside the lock and stops when the queue is empty or
 * the connection is full, and every change that gives it work calls {@link #drainSoon}, so no event
 * waits without someone due to write it.
 */
final class ClientStream implements SseEventSink, RoomMember, EventOutput.Listener {

  /** Where a stream is in its life; it only moves forward. */
  private enum Phase {
    /** Made, its catch-up not yet given: events queue, nothing is written. */
    WAITING,
    /** Writing its catch-up, then live events. */
    LIVE,
    /** Writing what is queued, then its last event; nothing more is queued. */
    FINISHING,
    /** Ended; its queue dropped. */
    CLOSED
  }

  private final String connectionId;
  private final String nick;
  private final EventOutput output;
  private final StreamConnection connection;
  private final StreamObserver observer;

  /** Reads the catch-up's pages. */
  private final Executor reader;

  private final BiConsumer<ClientStream, CloseReason> onClose;

  // All guarded by this.
  private final StreamQueue queue;
  private Phase phase = Phase.WAITING;

  /** The container has said the connection may be written (its first writePossible). */
  private boolean ready;

  private boolean draining;

  /** A page of the catch-up is being read (by the reader, not the drainer); one at a time. */
  private boolean readingPage;

  ClientStream(
      String connectionId,
      String nick,
      EventOutput output,
      int maxPending,
      int maxPendingBytes,
      StreamObserver observer,
      Executor reader,
      BiConsumer<ClientStream, CloseReason> onClose) {
    this.connectionId = connectionId;
    this.nick = nick;
    this.output = output;
    this.connection = new StreamConnection(output, connectionId);
    this.queue = new StreamQueue(maxPending, maxPendingBytes);
    this.observer = observer;
    this.reader = reader;
    this.onClose = onClose;
    output.listen(this);
  }

  String connectionId() {
    return connectionId;
  }

  /** The nick the client gave, or null for a stream that does not count as presence. */
  @Override
  public String nick() {
    return nick;
  }

  @Override
  public SseEventSink sink() {
    return this;
  }

  /**
   * Sends one event as {@link SseEventSink} says: the stage completes once the event has been
   * written to the connection, and fails if the event is dropped (the stream closed, or was cut off
   * for falling behind). Rooms hand events over with {@link #send(List)}, which has no stage.
   */
  @Override
  public CompletionStage<?> send(OutboundSseEvent event) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    try {
      queue(List.of(event), written);
    } catch (IllegalStateException dropped) {
      written.completeExceptionally(dropped);
    }
    return written;
  }

  /**
   * Queues events, in order, and writes what the connection takes now. Throws {@link
   * IllegalStateException} if the stream is closed, or is cut off now for being too far behind.
   */
  @Override
  public void send(List<OutboundSseEvent> events) {
    queue(events, null);
  }

  private void queue(List<OutboundSseEvent> events, CompletableFuture<Void> written) {
    boolean fits;
    synchronized (this) {
      if (phase == Phase.CLOSED) {
        // Thrown on purpose: the sender learns the stream is gone (it has left its room already).
        throw new IllegalStateException("stream " + connectionId + " is closed");
      }
      if (phase == Phase.FINISHING) {
        return;
      }
      fits = queue.addLive(events, written);
    }
    if (!fits) {
      close(CloseReason.TOO_SLOW);
      throw new IllegalStateException("stream " + connectionId + " fell too far behind");
    }
    drainSoon();
  }

  /**
   * Sends {@code start} (the stream's first events and the first page of its catch-up) and, unless
   * {@code complete}, the pages that follow, read from {@code pages} as the client takes them; then
   * the live events that arrived meanwhile, less the messages the catch-up already held.
   */
  void goLive(List<OutboundSseEvent> start, boolean complete, CatchUpPages pages) {
    synchronized (this) {
      if (phase != Phase.WAITING) {
        return;
      }
      queue.startCatchUp(start, complete, pages);
      phase = Phase.LIVE;
    }
    drainSoon();
  }

  /**
   * Ends the stream cleanly: what is queued is written, then {@code last}, then the stream is
   * closed; nothing after this is queued. A stream not yet writing is simply closed, and one still
   * catching up stops there (what it was sent is whole; the client resumes after it).
   */
  void finish(OutboundSseEvent last) {
    boolean finishing;
    synchronized (this) {
      if (phase == Phase.FINISHING || phase == Phase.CLOSED) {
        return;
      }
      finishing = phase == Phase.LIVE && ready;
      if (finishing) {
        queue.stopCatchUp();
        queue.addLast(last);
        phase = Phase.FINISHING;
      }
    }
    if (finishing) {
      drainSoon();
    } else {
      close(CloseReason.SERVER_CLOSED);
    }
  }

  @Override
  public void writePossible() {
    synchronized (this) {
      ready = true;
      draining = false; // whoever drained stopped at a full connection; this thread goes on
    }
    drain();
  }

  /**
   * The connection failed or closed (the client went away, or the server stops); the container
   * releases it itself. Returns only once no write to the stream is under way: the container may
   * then give what it held to another request, and a write still under way would reach that one.
   */
  @Override
  public void failed() {
    connection.endedByContainer();
    close(CloseReason.CLIENT_GONE);
    connection.awaitNoWrite();
  }

  /** Guarded by this. */
  private boolean mayDrain() {
    return !draining && ready && (phase == Phase.LIVE || phase == Phase.FINISHING);
  }

  /**
   * Drains where the output says a write may be made, if a drain is due (see {@link
   * EventOutput#run}).
   */
  private void drainSoon() {
    synchronized (this) {
      if (!mayDrain()) {
        return;
      }
    }
    output.run(this::drain);
  }

  /**
   * Writes what is queued while the connection takes it, on the calling thread, and has the next
   * page of the catch-up read when the last one is written.
   */
  private void drain() {
    synchronized (this) {
      if (!mayDrain()) {
        return;
      }
      draining = true;
    }
    while (true) {
      CatchUpPages pages;
      String after;
      synchronized (this) {
        if (phase == Phase.CLOSED) {
          draining = false;
          return;
        }
        pages = queue.pageDue();
        after = queue.caughtUpTo();
        if (pages == null && queue.isEmpty() && phase != Phase.FINISHING) {
          draining = false;
          return;
        }
        if (pages != null) {
          // The next page is read elsewhere; its reader drains again once it is queued.
          draining = false;
          if (readingPage) {
            return;
          }
          readingPage = true;
        }
      }
      if (pages != null) {
        readPageLater(pages, after);
        return;
      }
      if (!output.isReady()) {
        return; // still draining: the container calls writePossible() when it takes more
      }
      StreamQueue.Batch batch;
      synchronized (this) {
        if (phase == Phase.CLOSED) {
          draining = false;
          return;
        }
        batch = queue.isEmpty() ? null : queue.nextBatch();
        if (batch == null) {
          draining = false; // finishing, and everything is written
        }
      }
      if (batch == null) {
        close(CloseReason.SERVER_CLOSED);
        return;
      }
      StreamConnection.Written written = connection.write(batch.bytes());
      if (written == StreamConnection.Written.FAILED) {
        synchronized (this) {
          draining = false;
        }
        batch
            .waiting()
            .forEach(
                stage ->
                    stage.completeExceptionally(
                        new IllegalStateException("the connection failed")));
        close(CloseReason.CLIENT_GONE);
        return;
      }
      batch.waiting().forEach(stage -> stage.complete(null));
      for (int i = 0; i < batch.events(); i++) {
        observer.delivered();
      }
      if (written == StreamConnection.Written.FULL) {
        return; // the container calls writePossible() when it takes more; that goes on from here
      }
    }
  }

  /**
   * Reads and queues the next page of the catch-up on the reader (the log may be slow), then drains
   * again; the stream is closed instead if the log cannot continue (the client resumes and is told
   * why).
   */
  private void readPageLater(CatchUpPages pages, String after) {
    try {
      reader.execute(() -> readPage(pages, after));
    } catch (RejectedExecutionException stopping) {
      synchronized (this) {
        readingPage = false;
      }
      close(CloseReason.SERVER_CLOSED);
    }
  }

  private void readPage(CatchUpPages pages, String after) {
    CatchUpPages.Page page;
    try {
      page = pages.after(after);
    } catch (RuntimeException e) {
      synchronized (this) {
        readingPage = false;
      }
      close(CloseReason.SERVER_CLOSED);
      return;
    }
    synchronized (this) {
      readingPage = false;
      if (phase == Phase.CLOSED) {
        return;
      }
      queue.addPage(page);
    }
    drainSoon();
  }

  /** The stream as logs name it. */
  @Override
  public String toString() {
    return connectionId;
  }

  /** Bytes of events waiting to be written, catch-up included. */
  synchronized long queuedBytes() {
    return queue.bytes();
  }

  @Override
  public synchronized boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  /** Ends the stream from the server's side (its room closes, or the server stops). */
  @Override
  public void close() {
    close(CloseReason.SERVER_CLOSED);
  }

  /**
   * Ends the stream, once: the queue is dropped (its waiters told) and the response ended, dropped
   * rather than closed for a client that fell behind (it takes too little to wait for a clean end).
   */
  @Override
  public void close(CloseReason reason) {
    List<CompletableFuture<Void>> dropped;
    synchronized (this) {
      if (phase == Phase.CLOSED) {
        return;
      }
      phase = Phase.CLOSED;
      dropped = queue.clear();
    }
    dropped.forEach(
        written ->
            written.completeExceptionally(
                new IllegalStateException("stream " + connectionId + " ended: " + reason)));
    if (reason == CloseReason.TOO_SLOW) {
      connection.drop();
    } else {
      connection.close();
    }
    onClose.accept(this, reason);
  }
}
