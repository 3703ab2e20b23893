package io.parley.stream;

/** What the web layer may tell a client's stream about the connection under it. */
public interface StreamHandle {

  /**
   * The container ended the connection (the client went away, or the server stops). Returns only
   * once no write to the stream is under way, so the container may then recycle the request.
   */
  void connectionEnded();

  /** Runs {@code action} once when the stream ends, however it ends (at once if it has ended). */
  void whenClosed(Runnable action);
}
