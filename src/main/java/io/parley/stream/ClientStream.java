package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's stream, as its room sees it (a JAX-RS {@link SseEventSink}). {@link #send} never
 * blocks and needs no thread of its own: it queues the event's bytes (bounded) and, if no one is
 * writing, writes what the connection takes now without blocking ({@link EventOutput}); the rest
 * goes out when the container says the connection can take more. Several queued events go out in
 * one write. A client that stops reading therefore holds up no one, costs at most {@code
 * maxPending} queued events and {@code maxPendingBytes} queued bytes, catch-up included, and is cut
 * off when live events would pass that bound.
 *
 * <p>The catch-up ({@link #goLive}) is read from the log a page at a time, each page once the
 * client has taken the one before, so a client far behind costs no more than the bound either.
 * Until it is over, live events wait in the queue. Messages the catch-up already covered are
 * dropped, whether they were queued before it ended or are delivered just after (appended before
 * the last page was read, delivered after it); live messages come in the log's order, so the first
 * one the catch-up did not hold ends the filtering. The client sees each message once, in order.
 */
final class ClientStream implements SseEventSink, RoomMember, EventOutput.Listener {

  private static final Logger LOG = Logger.getLogger(ClientStream.class.getName());

  /** Bytes written in one go when several events are waiting. */
  static final int BATCH_BYTES = 32 * 1024;

  private final String connectionId;
  private final String nick;
  private final EventOutput output;
  private final int maxPending;
  private final int maxPendingBytes;
  private final StreamObserver observer;

  /** Reads the catch-up's pages. */
  private final Executor reader;

  private final BiConsumer<ClientStream, CloseReason> onClose;

  // All guarded by this.
  private final ArrayDeque<byte[]> catchUp = new ArrayDeque<>();
  private final ArrayDeque<EncodedFrame> pending = new ArrayDeque<>();
  private final CaughtUpIds caughtUp;

  /** Bytes in catchUp and pending. */
  private long queuedBytes;

  /** Where the rest of the catch-up comes from, while it is not over; null then. */
  private CatchUpPages morePages;

  /** The id of the last message the catch-up queued, from which the next page is read. */
  private String caughtUpTo;

  private boolean live;
  private boolean ready;
  private boolean draining;

  /** A page of the catch-up is being read (by the reader, not the drainer); one at a time. */
  private boolean readingPage;

  private boolean finishing;
  private boolean closed;
  private boolean outputClosed;

  /**
   * Whether the output is dropped rather than closed: the stream was cut off for falling behind.
   */
  private boolean dropOutput;

  /**
   * A thread is inside {@link EventOutput#write}; the output is then closed by it, after the write.
   */
  private boolean writeUnderWay;

  private boolean closeAfterWrite;

  /**
   * A queued event: its bytes, its id while the catch-up filter may need it, who waits for it (or
   * null).
   */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the bytes are written as they are
  private record EncodedFrame(String id, byte[] bytes, CompletableFuture<Void> written) {
    EncodedFrame(String id, byte[] bytes) {
      this(id, bytes, null);
    }
  }

  /** Who wait for the events of the batch being written; guarded by this. */
  private final List<CompletableFuture<Void>> inBatch = new ArrayList<>();

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
    this.maxPending = maxPending;
    this.maxPendingBytes = maxPendingBytes;
    this.caughtUp = new CaughtUpIds(maxPending);
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
        if (morePages == null && caughtUp.sentAlready(event.getId())) {
          continue;
        }
        byte[] frame = EncodedEvent.frameOf(event);
        if (pending.size() >= maxPending || queuedBytes + frame.length > maxPendingBytes) {
          tooSlow = true;
          break;
        }
        pending.add(new EncodedFrame(event.getId(), frame, written));
        queuedBytes += frame.length;
      }
    }
    if (tooSlow) {
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
      if (closed) {
        return;
      }
      boolean trimmed = queueCatchUp(start);
      morePages = complete && !trimmed ? null : pages;
      if (morePages == null) {
        dropCaughtUp();
      }
      live = true;
    }
    drainSoon();
  }

  /**
   * Queues catch-up events while they fit in the byte bound (at least one message, so that the
   * catch-up moves on); whether some were left for the next page. Guarded by this.
   */
  private boolean queueCatchUp(List<OutboundSseEvent> events) {
    boolean queuedOne = false;
    for (OutboundSseEvent event : events) {
      byte[] frame = EncodedEvent.frameOf(event);
      String id = event.getId();
      if (id != null && queuedOne && queuedBytes + frame.length > maxPendingBytes) {
        return true;
      }
      catchUp.add(frame);
      queuedBytes += frame.length;
      if (id != null) {
        queuedOne = true;
        caughtUpTo = id;
        caughtUp.add(id);
      }
    }
    return false;
  }

  /** The catch-up is over: live events it already held go. Guarded by this. */
  private void dropCaughtUp() {
    pending.removeIf(
        frame -> {
          boolean held = caughtUp.sentAlready(frame.id());
          if (held) {
            queuedBytes -= frame.bytes().length;
            if (frame.written() != null) {
              frame.written().complete(null); // the catch-up wrote it
            }
          }
          return held;
        });
  }

  /**
   * Ends the stream cleanly: what is queued is written, then {@code last}, then the stream is
   * closed; nothing after this is queued. A stream not yet live is simply closed, and one still
   * catching up stops there (what it was sent is whole; the client resumes after it).
   */
  void finish(OutboundSseEvent last) {
    boolean notLive;
    synchronized (this) {
      if (closed || finishing) {
        return;
      }
      notLive = !live || !ready;
      if (!notLive) {
        if (morePages != null) {
          morePages = null;
          pending.forEach(
              frame -> {
                queuedBytes -= frame.bytes().length;
                if (frame.written() != null) {
                  frame
                      .written()
                      .completeExceptionally(new IllegalStateException("the server stops"));
                }
              });
          pending.clear();
        }
        pending.add(new EncodedFrame(null, EncodedEvent.frameOf(last)));
        finishing = true;
      }
    }
    if (notLive) {
      close(CloseReason.SERVER_CLOSED);
    } else {
      drainSoon();
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
    synchronized (this) {
      outputClosed = true; // the container has ended the connection itself
    }
    close(CloseReason.CLIENT_GONE);
    synchronized (this) {
      boolean interrupted = false;
      while (writeUnderWay) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Drains where the output says a write may be made, if a drain is due (see {@link
   * EventOutput#run}).
   */
  private void drainSoon() {
    synchronized (this) {
      if (draining || !live || !ready || closed) {
        return;
      }
    }
    output.run(this::drain);
  }

  /**
   * Writes what is queued while the connection takes it, on the calling thread, and reads the next
   * page of the catch-up when the last one is written. One thread drains at a time; it stops when
   * the queue is empty or the connection is full (then the container's {@link #writePossible()}
   * goes on), so no event waits without someone due to write it.
   */
  private void drain() {
    synchronized (this) {
      if (draining || !live || !ready || closed) {
        return;
      }
      draining = true;
    }
    while (true) {
      CatchUpPages pages;
      String after;
      synchronized (this) {
        if (closed) {
          draining = false;
          return;
        }
        pages = catchUp.isEmpty() ? morePages : null;
        after = caughtUpTo;
        if (pages == null && catchUp.isEmpty() && pending.isEmpty() && !finishing) {
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
        return; // still draining: the container calls writePossible() when the connection takes
        // more
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
      List<CompletableFuture<Void>> waiting;
      synchronized (this) {
        waiting = inBatch.isEmpty() ? List.of() : List.copyOf(inBatch);
        inBatch.clear();
      }
      Written written = write(batch);
      if (written == Written.FAILED) {
        synchronized (this) {
          draining = false;
        }
        waiting.forEach(
            stage ->
                stage.completeExceptionally(new IllegalStateException("the connection failed")));
        close(CloseReason.CLIENT_GONE);
        return;
      }
      waiting.forEach(stage -> stage.complete(null));
      for (int i = 0; i < events; i++) {
        observer.delivered();
      }
      if (written == Written.FULL) {
        return; // the container calls writePossible() when the connection takes more; it goes on
        // from there
      }
    }
  }

  /**
   * Reads and queues the next page of the catch-up on the reader (never on the thread that fans
   * events out: the log may be slow), then drains again; the stream is closed instead if the log
   * cannot continue (the client resumes and is told why).
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
      if (closed) {
        return;
      }
      boolean trimmed = queueCatchUp(page.events());
      if (page.last() && !trimmed) {
        morePages = null;
        dropCaughtUp();
      }
    }
    drainSoon();
  }

  /**
   * The next events to write, joined up to {@link #BATCH_BYTES}: the catch-up's first, live ones
   * only once it is over. Guarded by this.
   */
  private byte[] nextBatch() {
    byte[] first = next();
    if (!hasNext()) {
      return first;
    }
    ByteArrayOutputStream joined =
        new ByteArrayOutputStream(Math.min(BATCH_BYTES * 2, first.length * 4));
    joined.writeBytes(first);
    while (joined.size() < BATCH_BYTES && hasNext()) {
      joined.writeBytes(next());
    }
    return joined.toByteArray();
  }

  /** Guarded by this. */
  private boolean hasNext() {
    return !catchUp.isEmpty() || (morePages == null && !pending.isEmpty());
  }

  /** Takes the next queued event's bytes; only when {@link #hasNext()}. Guarded by this. */
  private byte[] next() {
    byte[] bytes;
    if (catchUp.isEmpty()) {
      EncodedFrame frame = pending.poll();
      bytes = frame.bytes();
      if (frame.written() != null) {
        inBatch.add(frame.written());
      }
    } else {
      bytes = catchUp.poll();
    }
    queuedBytes -= bytes.length;
    return bytes;
  }

  /**
   * How a write went: the connection failed, or it took the bytes and can take more now, or not
   * yet.
   */
  private enum Written {
    FAILED,
    MORE,
    FULL
  }

  private Written write(byte[] bytes) {
    synchronized (this) {
      if (outputClosed) {
        return Written.FAILED;
      }
      writeUnderWay = true;
    }
    try {
      return output.write(bytes) ? Written.MORE : Written.FULL;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, e, () -> "A write to stream " + connectionId + " failed");
      return Written.FAILED;
    } finally {
      boolean closeNow;
      synchronized (this) {
        writeUnderWay = false;
        closeNow = closeAfterWrite && !outputClosed;
        outputClosed |= closeNow;
        notifyAll(); // failed() may wait for this write
      }
      if (closeNow) {
        closeQuietly();
      }
    }
  }

  /** The stream as logs name it. */
  @Override
  public String toString() {
    return connectionId;
  }

  /** Bytes of events waiting to be written, catch-up included. */
  synchronized long queuedBytes() {
    return queuedBytes;
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
  @Override
  public void close(CloseReason reason) {
    List<CompletableFuture<Void>> dropped = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dropOutput = reason == CloseReason.TOO_SLOW; // it takes too little to wait for a clean end
      catchUp.clear();
      pending.stream()
          .map(EncodedFrame::written)
          .filter(java.util.Objects::nonNull)
          .forEach(dropped::add);
      pending.clear();
      queuedBytes = 0;
      morePages = null;
    }
    dropped.forEach(
        written ->
            written.completeExceptionally(
                new IllegalStateException("stream " + connectionId + " ended: " + reason)));
    closeOutput();
    onClose.accept(this, reason);
  }

  /**
   * Ends the response once, never while a write is under way (the writer ends it after its write,
   * so no thread waits here); the output closes it as soon as the connection takes bytes.
   */
  private void closeOutput() {
    synchronized (this) {
      if (outputClosed) {
        return;
      }
      if (writeUnderWay) {
        closeAfterWrite = true;
        return;
      }
      outputClosed = true;
    }
    closeQuietly();
  }

  private void closeQuietly() {
    boolean drop;
    synchronized (this) {
      drop = dropOutput;
    }
    try {
      if (drop) {
        output.drop();
      } else {
        output.close();
      }
    } catch (RuntimeException e) {
      // the connection is already gone; nothing more to release
    }
  }
}
