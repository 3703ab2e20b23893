package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where one client stream is in its life, what it has queued, and who writes it: the state a {@link
 * ClientStream} moves through. Each method is one transition, made holding this; the stream acts on
 * the answer outside the lock (writes, reads, callbacks).
 *
 * <p>The rules the stream's drain relies on: one thread at a time drains ({@link #startDrain} to
 * {@link #stopDrain}, or until the connection is full, when the container's next {@link #writable}
 * hands the drain on); one page of the catch-up at a time is read, and it is queued in the same
 * step that says it is no longer being read, so no page is read twice.
 */
final class StreamState {

  /** Where a stream is in its life; it only moves forward. */
  enum Phase {
    /** Made, its catch-up not yet given: events queue, nothing is written. */
    WAITING,
    /** Writing its catch-up, then live events. */
    LIVE,
    /** Writing what is queued, then its last event; nothing more is queued. */
    FINISHING,
    /** Ended; its queue dropped. */
    CLOSED
  }

  /** What {@link #addLive} did. */
  enum Added {
    QUEUED,
    /** Nothing: the stream is finishing. */
    IGNORED,
    /** Nothing: the events do not fit; the stream is to be cut off. */
    TOO_FAR_BEHIND,
    CLOSED
  }

  /** The drain's next step. */
  sealed interface Step {}

  /** Nothing to do now; the drain has stopped. */
  record Stop() implements Step {}

  /** The next page of the catch-up is due: read it after {@code after} (the drain has stopped). */
  record ReadPage(CatchUpPages pages, String after) implements Step {}

  /** Write this batch (or, if null, everything is written and the stream is to end). */
  record Write(StreamQueue.Batch batch) implements Step {}

  private static final Stop STOP = new Stop();

  private final StreamQueue queue;
  private Phase phase = Phase.WAITING;

  /** The container has said the connection may be written (its first writePossible). */
  private boolean ready;

  private boolean draining;

  /** A page of the catch-up is being read (by the reader, not the drainer); one at a time. */
  private boolean readingPage;

  StreamState(int maxPending, int maxPendingBytes) {
    this.queue = new StreamQueue(maxPending, maxPendingBytes);
  }

  synchronized Added addLive(List<OutboundSseEvent> events, CompletableFuture<Void> written) {
    return switch (phase) {
      case CLOSED -> Added.CLOSED;
      case FINISHING -> Added.IGNORED;
      default -> queue.addLive(events, written) ? Added.QUEUED : Added.TOO_FAR_BEHIND;
    };
  }

  /** Gives a waiting stream its first events; false if it is not waiting. */
  synchronized boolean goLive(List<OutboundSseEvent> start, boolean complete, CatchUpPages pages) {
    if (phase != Phase.WAITING) {
      return false;
    }
    queue.startCatchUp(start, complete, pages);
    phase = Phase.LIVE;
    return true;
  }

  /**
   * Has a live stream that is being written finish: it stops its catch-up where it is, writes what
   * is queued, then {@code last}. A stream not yet written is to be closed instead.
   */
  synchronized Finish finish(OutboundSseEvent last) {
    if (phase == Phase.FINISHING || phase == Phase.CLOSED) {
      return Finish.ALREADY;
    }
    if (phase != Phase.LIVE || !ready) {
      return Finish.CLOSE;
    }
    queue.stopCatchUp();
    queue.addLast(last);
    phase = Phase.FINISHING;
    return Finish.FINISHING;
  }

  /** What {@link #finish} did. */
  enum Finish {
    FINISHING,
    /** Nothing: the stream is to be closed instead. */
    CLOSE,
    /** Nothing: it was finishing or closed already. */
    ALREADY
  }

  /** The container said the connection takes bytes: whoever drained stopped at a full one. */
  synchronized void writable() {
    ready = true;
    draining = false;
  }

  /** Whether a drain is due now. */
  synchronized boolean drainDue() {
    return !draining && ready && (phase == Phase.LIVE || phase == Phase.FINISHING);
  }

  /** True if the calling thread is to drain now (then it does until a step says stop). */
  synchronized boolean startDrain() {
    if (!drainDue()) {
      return false;
    }
    draining = true;
    return true;
  }

  synchronized void stopDrain() {
    draining = false;
  }

  /**
   * The drain's next step before a write: stop, read the next page, or (null) write if the
   * connection takes bytes.
   */
  synchronized Step beforeWrite() {
    if (phase == Phase.CLOSED) {
      draining = false;
      return STOP;
    }
    CatchUpPages pages = queue.pageDue();
    if (pages == null) {
      if (queue.isEmpty() && phase != Phase.FINISHING) {
        draining = false;
        return STOP;
      }
      return null;
    }
    // The next page is read elsewhere; its reader drains again once it is queued.
    draining = false;
    if (readingPage) {
      return STOP;
    }
    readingPage = true;
    return new ReadPage(pages, queue.caughtUpTo());
  }

  /** The batch to write now (its step), or stop if the stream closed meanwhile. */
  synchronized Step write() {
    if (phase == Phase.CLOSED) {
      draining = false;
      return STOP;
    }
    StreamQueue.Batch batch = queue.isEmpty() ? null : queue.nextBatch();
    if (batch == null) {
      draining = false; // finishing, and everything is written
    }
    return new Write(batch);
  }

  /** A page was read: queued unless the stream closed meanwhile (then false). */
  synchronized boolean pageRead(CatchUpPages.Page page) {
    readingPage = false;
    if (phase == Phase.CLOSED) {
      return false;
    }
    queue.addPage(page);
    return true;
  }

  /** A page could not be read; the stream is to be closed. */
  synchronized void pageFailed() {
    readingPage = false;
  }

  /** Closes the stream: the waiters of its dropped queue, or null if it was closed already. */
  synchronized List<CompletableFuture<Void>> close() {
    if (phase == Phase.CLOSED) {
      return null;
    }
    phase = Phase.CLOSED;
    return queue.clear();
  }

  synchronized boolean isClosed() {
    return phase == Phase.CLOSED;
  }

  synchronized long queuedBytes() {
    return queue.bytes();
  }
}
