package io.parley.stream;

/** The number of streams open on this node; a stop can wait for it to reach zero. */
final class StreamCounter {

  private int open; // guarded by this

  synchronized int opened() {
    return ++open;
  }

  synchronized int closed() {
    if (--open == 0) {
      notifyAll();
    }
    return open;
  }

  synchronized int open() {
    return open;
  }

  /** Waits until no stream is open, at most {@code millis}; whether none is. */
  synchronized boolean awaitNone(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (open > 0) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
