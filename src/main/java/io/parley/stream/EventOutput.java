package io.parley.stream;

import java.io.IOException;

/**
 * Where a stream's bytes go: the client's connection, written without blocking. The transport
 * ({@code io.parley.transport}) calls the stream back when writing is possible again and when the
 * connection fails or closes.
 */
public interface EventOutput {

  /** What the output tells its stream. */
  interface Listener {
    /**
     * Writing is possible (first when the response is ready, then after {@link #isReady()} was
     * false).
     */
    void writePossible();

    /** The connection failed or was closed; nothing more can be written. */
    void failed();
  }

  /**
   * Connects the output to its stream; writing starts with the first {@link
   * Listener#writePossible()}.
   */
  void listen(Listener listener);

  /**
   * Runs {@code writer}, which writes to this output: on the calling thread where a write never
   * waits, or on one of the container's threads where it may (over HTTP/2 a container can hold the
   * writing thread while the connection is full), so that a room's threads never wait on a client.
   */
  void run(Runnable writer);

  /**
   * Whether a write may be made now; when false, {@link Listener#writePossible()} follows later.
   */
  boolean isReady();

  /**
   * Writes bytes; only after {@link #isReady()} said true. Returns whether the output takes more
   * now: when false, nothing more may be written until {@link Listener#writePossible()}.
   */
  boolean write(byte[] bytes) throws IOException;

  /**
   * Ends the response; no write follows, and none is under way. The connection (or HTTP/2 stream)
   * is released as soon as it takes bytes, or dropped when the close grace runs out; {@link
   * Listener#failed()} follows once it is.
   */
  void close();

  /**
   * Ends the response of a client that fell behind, without waiting to give it a clean end: the
   * connection (or HTTP/2 stream) is dropped within a few seconds unless it takes bytes first.
   * {@link Listener#failed()} follows once it is released.
   */
  void drop();
}
