package io.parley.store;

import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: appends that arrive while a batch is being written wait and are written together in
 * the next one, so a store pays for one transaction per batch instead of one per message. No thread
 * of its own: a caller that finds nobody writing takes the turn and writes its own append with
 * every other one queued, in arrival order; the others wait for their result. Each caller returns
 * only once its message is written (or has failed), so an append is as durable as the writer makes
 * it, and because one batch is written at a time, whatever the writer does after storing a batch
 * (telling listeners) happens in append order too.
 */
final class BatchedAppends {

  /** What an append adds to its room's log; the number is what the embedded store keeps. */
  enum Kind {
    MESSAGE(0),
    EDIT(1),
    DELETE(2);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    int code() {
      return code;
    }

    static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no kind of entry " + code);
    }
  }

  /**
   * One append, as asked for: a message, or an edit or deletion of message {@code target} (then
   * {@code author} is who made it, and a deletion's {@code text} is empty).
   */
  record Append(
      Kind kind,
      String room,
      String target,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {

    static Append message(
        String room,
        String author,
        String text,
        Instant sentAt,
        boolean integration,
        IdempotencyKey key) {
      return new Append(Kind.MESSAGE, room, null, author, text, sentAt, integration, key);
    }
  }

  /** Writes a batch, all or nothing; returns what each append did, in the batch's order. */
  @FunctionalInterface
  interface Writer {
    List<Appended> write(List<Append> batch);
  }

  /** Bounds one transaction; more than this waits for the next turn. */
  static final int MAX_BATCH = 256;

  private final Writer writer;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /** Guarded by {@link #lock}: whether a caller is writing a batch now. */
  private boolean writing;

  BatchedAppends(Writer writer) {
    this.writer = writer;
  }

  /** Stores one append, in a batch with whatever else is waiting; blocks until it is written. */
  Appended append(Append append) {
    Pending mine = new Pending(append, lock.newCondition());
    List<Pending> batch = new ArrayList<>();
    lock.lock();
    try {
      queue.add(mine);
      // The first in the queue takes the next turn; the rest are taken into its batch.
      while (!mine.done && (writing || queue.peek() != mine)) {
        mine.wake.awaitUninterruptibly();
      }
      if (mine.done) {
        return mine.result();
      }
      writing = true;
      while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(queue.poll());
      }
    } finally {
      lock.unlock();
    }
    List<Appended> stored = null;
    RuntimeException failure = null;
    try {
      stored = writer.write(batch.stream().map(Pending::append).toList());
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      if (stored == null && failure == null) {
        // An Error is on its way up this thread: the others must not wait for ever.
        failure = new StoreException("the store failed while writing", null);
      }
      finish(batch, stored, failure);
    }
    return mine.result();
  }

  /** Gives each append of the batch its result, and the turn to the next in line. */
  private void finish(List<Pending> batch, List<Appended> stored, RuntimeException failure) {
    lock.lock();
    try {
      for (int i = 0; i < batch.size(); i++) {
        Pending pending = batch.get(i);
        pending.done = true;
        pending.message = stored == null ? null : stored.get(i);
        pending.failure = failure;
        pending.wake.signal();
      }
      writing = false;
      if (!queue.isEmpty()) {
        queue
            .peek()
            .wake
            .signal(); // only the next writer: the others wait for their batch to be written
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many appends wait for a turn (for tests). */
  int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * An append waiting for its batch, woken alone when it is written or its turn comes (not every
   * waiter at each turn); the mutable fields are guarded by the lock.
   */
  private static final class Pending {
    private final Append append;
    private final Condition wake;
    private boolean done;
    private Appended message;
    private RuntimeException failure;

    Pending(Append append, Condition wake) {
      this.append = append;
      this.wake = wake;
    }

    Append append() {
      return append;
    }

    Appended result() {
      if (failure != null) {
        throw new StoreException("cannot append to room " + append.room(), failure);
      }
      return message;
    }
  }
}
