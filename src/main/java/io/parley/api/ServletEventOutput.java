package io.parley.api;

import io.parley.stream.EventOutput;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;

/**
 * A stream's connection at the servlet level, written without blocking (Servlet 3.1
 * {@link WriteListener}): the one place below JAX-RS. JAX-RS opens the stream and sends the
 * response headers (Jersey flushes them when the resource method returns); from then on the
 * events' bytes, made once per room, go straight to the servlet output stream. Jersey would
 * otherwise write each event for each client through its message body writers, and a blocking
 * write would hold a thread per slow client.
 *
 * <p>Taking over starts only after Jersey is done with the request thread ({@link
 * StreamStartFilter} runs {@link #startIfStream}), so the two never write at once. The response is
 * ended through Jersey's sink (Jersey completes the request it suspended), and only while nothing
 * waits to be written: Jersey's close flushes, which a non-blocking stream refuses while it is
 * full. A client that stopped reading is therefore ended when its connection takes bytes again,
 * or when the container's write timeout fails the connection.
 */
public final class ServletEventOutput implements EventOutput, WriteListener {

  private static final String START = ServletEventOutput.class.getName() + ".start";

  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final SseEventSink sink;
  private volatile ServletOutputStream out;
  private volatile Listener listener;

  public ServletEventOutput(HttpServletRequest request, HttpServletResponse response, SseEventSink sink) {
    this.request = request;
    this.response = response;
    this.sink = sink;
  }

  /** Takes the connection over once the request has left JAX-RS; call when the stream is set up. */
  public void startWhenJerseyIsDone() {
    request.setAttribute(START, (Runnable) this::start);
  }

  /** Called by {@link StreamStartFilter} once the request has left JAX-RS. */
  static void startIfStream(HttpServletRequest request) {
    Object start = request.getAttribute(START);
    if (start instanceof Runnable run) {
      request.removeAttribute(START);
      run.run();
    }
  }

  private void start() {
    try {
      if (!response.isCommitted()) {
        response.flushBuffer(); // the headers JAX-RS set, if it has not sent them yet
      }
      ServletOutputStream stream = response.getOutputStream();
      out = stream;
      stream.setWriteListener(this); // the container calls onWritePossible as soon as it can
    } catch (IOException | IllegalStateException e) {
      onError(e);
    }
  }

  @Override
  public void listen(Listener listener) {
    this.listener = listener;
  }

  @Override
  public boolean isReady() {
    ServletOutputStream stream = out;
    return stream != null && stream.isReady();
  }

  /**
   * Writes and flushes. The write lands in the container's buffer (a batch is at most a few
   * buffers), so the flush nearly always may follow at once; when the write filled the connection
   * instead, the container refuses the flush and sends what is buffered by itself once it can.
   */
  @Override
  public void write(byte[] bytes) throws IOException {
    ServletOutputStream stream = out;
    stream.write(bytes);
    try {
      stream.flush();
    } catch (IllegalStateException notReady) {
      // the connection is full: the container writes the rest and then calls onWritePossible
    }
  }

  /** Ends the response through Jersey's sink, which completes the request it suspended. */
  @Override
  public void close() {
    sink.close();
  }

  @Override
  public void onWritePossible() {
    Listener told = listener;
    if (told != null) {
      told.writePossible();
    }
  }

  @Override
  public void onError(Throwable failure) {
    Listener told = listener;
    if (told != null) {
      told.failed();
    }
  }
}
