package io.parley.stream;

import java.io.IOException;

/**
 * Where a stream's bytes go: the client's connection, written without blocking. The container
 * side ({@code io.parley.api.UpgradedEventOutput}) calls the stream back when writing is possible
 * again and when the connection fails or closes.
 */
public interface EventOutput {

  /** What the output tells its stream. */
  interface Listener {
    /** Writing is possible (first when the response is ready, then after {@link #isReady()} was false). */
    void writePossible();

    /** The connection failed or was closed; nothing more can be written. */
    void failed();
  }

  /** Connects the output to its stream; writing starts with the first {@link Listener#writePossible()}. */
  void listen(Listener listener);

  /** Whether a write may be made now; when false, {@link Listener#writePossible()} follows later. */
  boolean isReady();

  /** Writes bytes; only after {@link #isReady()} said true. */
  void write(byte[] bytes) throws IOException;

  /** Ends the response; no write follows. */
  void close();
}
