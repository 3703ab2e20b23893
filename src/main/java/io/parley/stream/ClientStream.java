package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One client's stream, as its room sees it (a JAX-RS {@link SseEventSink}). {@link #send} never
 * blocks and needs no thread of its own: it queues the event's bytes (bounded) and, if no one is
 * writing, writes what the connection takes now without blocking; the rest goes out when the
 * container says the connection can take more ({@link #writePossible}). A client that stops reading
 * therefore holds up no one, and is cut off when live events would pass the bound. The catch-up
 * ({@link #goLive}) is read from the log a page at a time, each page once the client has taken the
 * one before, on the reader (never on a thread that fans events out). The client sees each message
 * once, in order.
 *
 * <p>Concurrency: the stream's state and its transitions are {@link StreamState}'s, under its lock;
 * every change that gives the drain work calls {@link #drainSoon}, so no event waits without
 * someone due to write it.
 */
final class ClientStream implements SseEventSink, RoomMember, EventOutput.Listener {

  private final String connectionId;
  private final String nick;
  private final String accessAs;
  private final EventOutput output;
  private final StreamConnection connection;
  private final StreamObserver observer;
  private final StreamState state;

  /** Reads the catch-up's pages. */
  private final Executor reader;

  private final Departure onClose;

  ClientStream(
      String connectionId,
      String nick,
      String accessAs,
      EventOutput output,
      int maxPending,
      int maxPendingBytes,
      StreamObserver observer,
      Executor reader,
      Departure onClose) {
    this.connectionId = connectionId;
    this.nick = nick;
    this.accessAs = accessAs;
    this.output = output;
    this.connection = new StreamConnection(output, connectionId);
    this.state = new StreamState(maxPending, maxPendingBytes);
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

  /** Who the client uses its room as; see {@link StreamOwner#accessAs}. */
  String accessAs() {
    return accessAs;
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
    switch (state.addLive(events, written)) {
      case CLOSED ->
          // Thrown on purpose: the sender learns the stream is gone (it has left its room already).
          throw new IllegalStateException("stream " + connectionId + " is closed");
      case TOO_FAR_BEHIND -> {
        close(CloseReason.TOO_SLOW);
        throw new IllegalStateException("stream " + connectionId + " fell too far behind");
      }
      case QUEUED -> drainSoon();
      case IGNORED -> {}
    }
  }

  /**
   * Sends {@code start} (the stream's first events and the first page of its catch-up) and, unless
   * {@code complete}, the pages that follow, read from {@code pages} as the client takes them; then
   * the live events that arrived meanwhile, less the messages the catch-up already held.
   */
  void goLive(List<OutboundSseEvent> start, boolean complete, CatchUpPages pages) {
    if (state.goLive(start, complete, pages)) {
      drainSoon();
    }
  }

  /**
   * Ends the stream cleanly: what is queued is written, then {@code last}, then the stream is
   * closed; nothing after this is queued. A stream not yet writing is simply closed, and one still
   * catching up stops there (what it was sent is whole; the client resumes after it).
   */
  void finish(OutboundSseEvent last) {
    switch (state.finish(last)) {
      case FINISHING -> drainSoon();
      case CLOSE -> close(CloseReason.SERVER_CLOSED);
      case ALREADY -> {}
    }
  }

  @Override
  public void writePossible() {
    state.writable(); // whoever drained stopped at a full connection; this thread goes on
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

  /**
   * Drains where the output says a write may be made, if a drain is due (see {@link
   * EventOutput#run}).
   */
  private void drainSoon() {
    if (state.drainDue()) {
      output.run(this::drain);
    }
  }

  /**
   * Writes what is queued while the connection takes it, on the calling thread, and has the next
   * page of the catch-up read when the last one is written.
   */
  private void drain() {
    if (!state.startDrain()) {
      return;
    }
    while (true) {
      StreamState.Step next = state.beforeWrite();
      if (next instanceof StreamState.ReadPage page) {
        readPageLater(page.pages(), page.after());
        return;
      }
      if (next instanceof StreamState.Stop) {
        return;
      }
      if (!output.isReady()) {
        return; // still draining: the container calls writePossible() when it takes more
      }
      if (!(state.write() instanceof StreamState.Write write)) {
        return;
      }
      if (write.batch() == null) {
        close(CloseReason.SERVER_CLOSED); // finished
        return;
      }
      if (!write(write.batch())) {
        return; // the connection is full or failed
      }
    }
  }

  /**
   * Writes a batch and tells who waits for it; false if the connection is full (the container calls
   * writePossible() when it takes more, and that goes on from here) or failed (the stream closes).
   */
  private boolean write(StreamQueue.Batch batch) {
    StreamConnection.Written written = connection.write(batch.bytes());
    if (written == StreamConnection.Written.FAILED) {
      state.stopDrain();
      IllegalStateException failure = new IllegalStateException("the connection failed");
      batch.waiting().forEach(stage -> stage.completeExceptionally(failure));
      close(CloseReason.CLIENT_GONE);
      return false;
    }
    batch.waiting().forEach(stage -> stage.complete(null));
    for (int i = 0; i < batch.events(); i++) {
      observer.delivered();
    }
    return written != StreamConnection.Written.FULL;
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
      state.pageFailed();
      close(CloseReason.SERVER_CLOSED);
    }
  }

  private void readPage(CatchUpPages pages, String after) {
    CatchUpPages.Page page;
    try {
      page = pages.after(after);
    } catch (RuntimeException e) {
      state.pageFailed();
      close(CloseReason.SERVER_CLOSED);
      return;
    }
    if (state.pageRead(page)) {
      drainSoon();
    }
  }

  /** The stream as logs name it. */
  @Override
  public String toString() {
    return connectionId;
  }

  /** Bytes of events waiting to be written, catch-up included. */
  long queuedBytes() {
    return state.queuedBytes();
  }

  @Override
  public boolean isClosed() {
    return state.isClosed();
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
    List<CompletableFuture<Void>> dropped = state.close();
    if (dropped == null) {
      return;
    }
    IllegalStateException ended =
        new IllegalStateException("stream " + connectionId + " ended: " + reason);
    dropped.forEach(written -> written.completeExceptionally(ended));
    if (reason == CloseReason.TOO_SLOW) {
      connection.drop();
    } else {
      connection.close();
    }
    onClose.left(
        this,
        reason,
        reason == CloseReason.TOO_SLOW
            ? new IllegalStateException("stream " + connectionId + " fell too far behind")
            : null);
  }
}
