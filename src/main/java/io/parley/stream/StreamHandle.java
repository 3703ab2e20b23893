package io.parley.stream;

/** What the web layer may ask of a client's stream while it opens it. */
public interface StreamHandle {

  /** Runs {@code action} once when the stream ends, however it ends (at once if it has ended). */
  void whenClosed(Runnable action);
}
