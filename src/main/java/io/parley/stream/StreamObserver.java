package io.parley.stream;

/** Hears what happens to streams, for metrics; every method is called often and must be cheap. */
public interface StreamObserver {

  StreamObserver NONE = new StreamObserver() {};

  /** One event was written to one client. */
  default void delivered() {}

  /** A client fell too far behind and was cut off. */
  default void cutOff() {}

  /** A stream was sent {@code messages} stored messages before going live. */
  default void caughtUp(int messages) {}
}
