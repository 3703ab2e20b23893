package io.parley.stream;

import java.util.concurrent.atomic.AtomicInteger;

/** The number of streams open on this node. */
final class StreamCounter {

  private final AtomicInteger open = new AtomicInteger();

  int opened() {
    return open.incrementAndGet();
  }

  int closed() {
    return open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
