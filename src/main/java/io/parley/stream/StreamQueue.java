package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a client stream has still to write, within its bounds ({@code maxPending} live events and
 * {@code maxPendingBytes}, catch-up included): the catch-up first, a page at a time, then the live
 * events. While the catch-up is not over, live events wait; once it is, those it already held are
 * dropped, whether queued before it ended or delivered just after (live messages come in the log's
 * order, so the first one it did not hold ends the filtering). Not thread-safe: its stream's lock
 * guards it.
 */
final class StreamQueue {

  /** Bytes written in one go when several events are waiting. */
  static final int BATCH_BYTES = 32 * 1024;

  /** Events to write in one go, and who waits for them to be written. */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the bytes are written as they are
  record Batch(byte[] bytes, int events, List<CompletableFuture<Void>> waiting) {}

  /**
   * A queued live event: its id while the catch-up filter may need it, who waits for it (or null).
   */
  @SuppressWarnings("ArrayRecordComponent") // never compared; the bytes are written as they are
  private record Frame(String id, byte[] bytes, CompletableFuture<Void> written) {}

  private final int maxPending;
  private final int maxPendingBytes;
  private final ArrayDeque<byte[]> catchUp = new ArrayDeque<>();
  private final ArrayDeque<Frame> live = new ArrayDeque<>();
  private final CaughtUpIds caughtUp;

  /** Bytes in catchUp and live. */
  private long bytes;

  /** Where the rest of the catch-up comes from, while it is not over; null then. */
  private CatchUpPages morePages;

  /** The id of the last message the catch-up queued, from which the next page is read. */
  private String caughtUpTo;

  StreamQueue(int maxPending, int maxPendingBytes) {
    this.maxPending = maxPending;
    this.maxPendingBytes = maxPendingBytes;
    this.caughtUp = new CaughtUpIds(maxPending);
  }

  /**
   * Queues live events in order, less messages the catch-up held; false when one does not fit in
   * the bounds (the client is too far behind: the stream is to be cut off).
   */
  boolean addLive(List<OutboundSseEvent> events, CompletableFuture<Void> written) {
    for (OutboundSseEvent event : events) {
      if (morePages == null && caughtUp.sentAlready(event.getId())) {
        continue;
      }
      byte[] frame = EncodedEvent.frameOf(event);
      if (live.size() >= maxPending || bytes + frame.length > maxPendingBytes) {
        return false;
      }
      live.add(new Frame(event.getId(), frame, written));
      bytes += frame.length;
    }
    return true;
  }

  /**
   * Starts with {@code start} (the stream's first events and the first page of its catch-up); the
   * pages after it come from {@code pages}, unless it is {@code complete}.
   */
  void startCatchUp(List<OutboundSseEvent> start, boolean complete, CatchUpPages pages) {
    boolean trimmed = addCatchUp(start);
    morePages = complete && !trimmed ? null : pages;
    if (morePages == null) {
      dropCaughtUp();
    }
  }

  /** Where the next page comes from, when it is due (the queued catch-up is written); else null. */
  CatchUpPages pageDue() {
    return catchUp.isEmpty() ? morePages : null;
  }

  /** The id the next page of the catch-up starts after. */
  String caughtUpTo() {
    return caughtUpTo;
  }

  void addPage(CatchUpPages.Page page) {
    boolean trimmed = addCatchUp(page.events());
    if (page.last() && !trimmed) {
      morePages = null;
      dropCaughtUp();
    }
  }

  /**
   * Stops the catch-up where it is, if it is not over: the live events waiting for it are dropped
   * (their waiters told the server stops).
   */
  void stopCatchUp() {
    if (morePages == null) {
      return;
    }
    morePages = null;
    live.forEach(
        frame -> {
          bytes -= frame.bytes().length;
          if (frame.written() != null) {
            frame.written().completeExceptionally(new IllegalStateException("the server stops"));
          }
        });
    live.clear();
  }

  /** Queues the stream's last event, after everything else. */
  void addLast(OutboundSseEvent last) {
    byte[] frame = EncodedEvent.frameOf(last);
    live.add(new Frame(null, frame, null));
    bytes += frame.length;
  }

  /** Whether nothing is queued. */
  boolean isEmpty() {
    return catchUp.isEmpty() && live.isEmpty();
  }

  long bytes() {
    return bytes;
  }

  /**
   * The next events to write, joined up to {@link #BATCH_BYTES}: the catch-up's first, live ones
   * only once it is over. Only when not {@link #isEmpty()} and no page is due.
   */
  Batch nextBatch() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    int events = 1;
    byte[] first = next(waiting);
    if (!hasNext()) {
      return new Batch(first, events, waiting);
    }
    ByteArrayOutputStream joined =
        new ByteArrayOutputStream(Math.min(BATCH_BYTES * 2, first.length * 4));
    joined.writeBytes(first);
    while (joined.size() < BATCH_BYTES && hasNext()) {
      joined.writeBytes(next(waiting));
      events++;
    }
    return new Batch(joined.toByteArray(), events, waiting);
  }

  /** Empties the queue; returns who waited for what it held. */
  List<CompletableFuture<Void>> clear() {
    List<CompletableFuture<Void>> waiting =
        live.stream().map(Frame::written).filter(Objects::nonNull).toList();
    catchUp.clear();
    live.clear();
    bytes = 0;
    morePages = null;
    return waiting;
  }

  /**
   * Queues catch-up events while they fit in the byte bound (at least one message, so that the
   * catch-up moves on); whether some were left for the next page.
   */
  private boolean addCatchUp(List<OutboundSseEvent> events) {
    boolean queuedOne = false;
    for (OutboundSseEvent event : events) {
      byte[] frame = EncodedEvent.frameOf(event);
      String id = event.getId();
      if (id != null && queuedOne && bytes + frame.length > maxPendingBytes) {
        return true;
      }
      catchUp.add(frame);
      bytes += frame.length;
      if (id != null) {
        queuedOne = true;
        caughtUpTo = id;
        caughtUp.add(id);
      }
    }
    return false;
  }

  /** The catch-up is over: live events it already held go (the catch-up wrote them). */
  private void dropCaughtUp() {
    live.removeIf(
        frame -> {
          boolean held = caughtUp.sentAlready(frame.id());
          if (held) {
            bytes -= frame.bytes().length;
            if (frame.written() != null) {
              frame.written().complete(null);
            }
          }
          return held;
        });
  }

  private boolean hasNext() {
    return !catchUp.isEmpty() || (morePages == null && !live.isEmpty());
  }

  private byte[] next(List<CompletableFuture<Void>> waiting) {
    byte[] next;
    if (catchUp.isEmpty()) {
      Frame frame = live.poll();
      next = frame.bytes();
      if (frame.written() != null) {
        waiting.add(frame.written());
      }
    } else {
      next = catchUp.poll();
    }
    bytes -= next.length;
    return next;
  }
}
