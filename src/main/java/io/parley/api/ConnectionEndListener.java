package io.parley.api;

import io.parley.stream.StreamHandle;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells a stream when the servlet container ends its connection, on the container's thread and
 * before the container recycles the request (see {@link StreamHandle#connectionEnded()}).
 */
final class ConnectionEndListener implements AsyncListener {

  private final StreamHandle stream;

  private ConnectionEndListener(StreamHandle stream) {
    this.stream = stream;
  }

  /** Watches the request's async context, which JAX-RS has started for an SSE method. */
  static void watch(HttpServletRequest request, StreamHandle stream) {
    if (request != null && request.isAsyncStarted()) {
      request.getAsyncContext().addListener(new ConnectionEndListener(stream));
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    stream.connectionEnded();
  }

  @Override
  public void onError(AsyncEvent event) {
    stream.connectionEnded();
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    stream.connectionEnded();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // a stream's request is started once
  }
}
