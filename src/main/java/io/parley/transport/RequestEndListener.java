package io.parley.transport;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Tells a stream's output that the container has let its request go, however it ended. */
final class RequestEndListener implements AsyncListener {

  private static final Logger LOG = Logger.getLogger(RequestEndListener.class.getName());

  private final AsyncEventOutput output;

  RequestEndListener(AsyncEventOutput output) {
    this.output = output;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    output.ended();
  }

  /** Only a stream the server ended times out: nobody completes it, so the container drops it. */
  @Override
  public void onTimeout(AsyncEvent event) {
    LOG.fine("An ended stream's request timed out");
    output.ended();
  }

  @Override
  public void onError(AsyncEvent event) {
    LOG.log(Level.FINE, "A stream's request failed", event.getThrowable());
    output.ended();
  }

  /** A new cycle ({@link AsyncEventOutput#lastCycle}) registers a listener again itself. */
  @Override
  public void onStartAsync(AsyncEvent event) {}
}
