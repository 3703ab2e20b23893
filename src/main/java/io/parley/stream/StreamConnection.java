package io.parley.stream;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stream's {@link EventOutput} with the rules its writes and its end keep: it is ended once, and
 * never while a write is under way (a write after the end could reach the next request the
 * container gives the same objects); an end asked for during a write is made by the writer, after
 * its write, so no thread waits for it. Thread-safe; one thread writes at a time (the stream's
 * drainer).
 */
final class StreamConnection {

  private static final Logger LOG = Logger.getLogger(StreamConnection.class.getName());

  /**
   * How a write went: the connection failed, or it took the bytes and can take more now, or not
   * yet.
   */
  enum Written {
    FAILED,
    MORE,
    FULL
  }

  /** How the response is to end: cleanly, or dropped for a client that fell behind. */
  private enum End {
    CLOSE,
    DROP
  }

  private final EventOutput output;
  private final String name;

  // Guarded by this.
  private boolean writing;
  private boolean ended;

  /** The end asked for while a write was under way, made after it; null when none was. */
  private End endAfterWrite;

  StreamConnection(EventOutput output, String name) {
    this.output = output;
    this.name = name;
  }

  Written write(byte[] bytes) {
    synchronized (this) {
      if (ended) {
        return Written.FAILED;
      }
      writing = true;
    }
    End endNow = null;
    try {
      return output.write(bytes) ? Written.MORE : Written.FULL;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, e, () -> "A write to stream " + name + " failed");
      return Written.FAILED;
    } finally {
      synchronized (this) {
        writing = false;
        if (endAfterWrite != null && !ended) {
          endNow = endAfterWrite;
          ended = true;
        }
        notifyAll(); // awaitNoWrite() may wait for this write
      }
      if (endNow != null) {
        endQuietly(endNow);
      }
    }
  }

  /** Ends the response cleanly: the output closes it as soon as the connection takes bytes. */
  void close() {
    end(End.CLOSE);
  }

  /** Ends the response of a client that fell behind, without waiting to give it a clean end. */
  void drop() {
    end(End.DROP);
  }

  /** The container has ended the connection itself: nothing more is written or ended. */
  synchronized void endedByContainer() {
    ended = true;
  }

  /** Returns once no write is under way. */
  synchronized void awaitNoWrite() {
    boolean interrupted = false;
    while (writing) {
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

  private void end(End how) {
    synchronized (this) {
      if (ended) {
        return;
      }
      if (writing) {
        endAfterWrite = how;
        return;
      }
      ended = true;
    }
    endQuietly(how);
  }

  private void endQuietly(End how) {
    try {
      if (how == End.DROP) {
        output.drop();
      } else {
        output.close();
      }
    } catch (RuntimeException e) {
      // the connection is already gone; nothing more to release
    }
  }
}
