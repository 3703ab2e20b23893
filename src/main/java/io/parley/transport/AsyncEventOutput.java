package io.parley.transport;

import io.parley.stream.EventOutput;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A stream's response as a Servlet asynchronous request, written without blocking through a {@link
 * WriteListener}: the same code over HTTP/1.1 and HTTP/2 on any Servlet 6 container, and the only
 * code that touches the container's side of a stream.
 *
 * <p>No thread of Parley's ever waits on a client: over HTTP/2, where a container may hold the
 * writing thread while the connection is full (Tomcat does, up to its HTTP/2 write timeout), writes
 * run on the container's own threads ({@link #run}). A stream the server ends is completed as soon
 * as its connection takes bytes. One whose client takes nothing more is dropped after the close
 * grace: an asynchronous request that times out with its response committed and nobody completing
 * it is an error, and the container drops it (closes the HTTP/1.1 connection, resets the HTTP/2
 * stream) whatever its own write timeout. Its timeout is set to run out after the grace; a
 * container that counts an asynchronous timeout only from the end of a dispatch (Jetty) does not
 * see that, so a stream still there a moment after the grace is dispatched to {@link
 * EndedStreamServlet}, which starts a last asynchronous cycle with a timeout of a moment. {@link
 * #whenReleased} hears of the moment the container lets the request go.
 */
public final class AsyncEventOutput implements EventOutput, WriteListener {

  private static final Logger LOG = Logger.getLogger(AsyncEventOutput.class.getName());

  /** The request's asynchronous context: a new one once {@link EndedStreamServlet} restarts it. */
  private volatile AsyncContext async;

  private final ServletOutputStream out;

  /** Whether a write may hold the writing thread while the connection is full (HTTP/2). */
  private final boolean writesMayWait;

  private final CloseGrace closeGrace;
  private final long openedAt = System.nanoTime();
  private volatile Listener listener;

  // Guarded by this. Every call into the container (out, async) is made holding this, and only
  // while the request has not ended: once the container lets a request go it recycles its
  // objects for another request, and a late call would act on that one (a late complete() would
  // end another client's fresh stream).
  /** The container said the output is not ready and has not yet called onWritePossible. */
  private boolean awaitingWritePossible;

  private boolean closing;
  private boolean broken;
  private boolean ended;
  private Runnable whenReleased = () -> {};

  private AsyncEventOutput(
      AsyncContext async, ServletOutputStream out, boolean writesMayWait, CloseGrace closeGrace) {
    this.async = async;
    this.out = out;
    this.writesMayWait = writesMayWait;
    this.closeGrace = closeGrace;
  }

  /**
   * Starts a stream's response ({@link StreamResponse#start}) and writes it from now on. Once the
   * server ends the stream, its connection stays at most {@code closeGrace} more.
   */
  public static AsyncEventOutput open(
      HttpServletRequest request,
      HttpServletResponse response,
      Map<String, String> headers,
      CloseGrace closeGrace)
      throws IOException {
    AsyncContext async = StreamResponse.start(request, response, headers);
    AsyncEventOutput output =
        new AsyncEventOutput(
            async,
            response.getOutputStream(),
            !request.getProtocol().startsWith("HTTP/1."),
            closeGrace);
    async.addListener(new RequestEndListener(output));
    return output;
  }

  /**
   * Runs {@code action} once the container has let the request go (at once if it has): what holds a
   * place for the connection gives it back then, not when the stream ends.
   */
  public void whenReleased(Runnable action) {
    synchronized (this) {
      if (!ended) {
        whenReleased = action;
        return;
      }
    }
    action.run();
  }

  @Override
  public void listen(Listener listener) {
    this.listener = listener;
    synchronized (this) {
      if (!ended) {
        out.setWriteListener(
            this); // the container calls onWritePossible when the response can take bytes
      }
    }
  }

  @Override
  public void run(Runnable writer) {
    if (!writesMayWait) {
      writer.run();
      return;
    }
    synchronized (this) {
      if (ended) {
        return; // nothing more is written
      }
      try {
        async.start(writer);
      } catch (IllegalStateException e) {
        // the request has ended: nothing more is written
      }
    }
  }

  /**
   * Whether a write may be made now. Once the container said no, the answer stays no until it calls
   * {@link #onWritePossible}: the container may have taken the bytes by the time one asked again,
   * and a write then would race the one the container's call starts.
   */
  @Override
  public synchronized boolean isReady() {
    if (ended || awaitingWritePossible) {
      return false;
    }
    awaitingWritePossible = !out.isReady();
    return !awaitingWritePossible;
  }

  @Override
  public synchronized boolean write(byte[] bytes) throws IOException {
    if (ended) {
      throw new IOException("the request has ended");
    }
    try {
      out.write(bytes);
      if (!isReady()) {
        return false;
      }
      out.flush();
      return isReady();
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }

  /**
   * Completes the request as soon as the connection takes bytes: at once (or when a write has
   * failed: the connection will take nothing again), or at the next {@link #onWritePossible}.
   * Completing a response the client does not take would hold one of the container's threads until
   * its write timeout; waiting holds none, and if the client takes nothing within the close grace,
   * the request is dropped (see the class comment).
   */
  @Override
  public void close() {
    end(closeGrace.grace().toMillis(), false);
  }

  /**
   * Drops the request within {@link CloseGrace#CONTAINER_CHECKS_MILLIS}, without its clean end,
   * unless the connection takes bytes first (then it is completed).
   */
  @Override
  public void drop() {
    end(0, true);
  }

  private void end(long graceMillis, boolean evenIfReady) {
    boolean now;
    synchronized (this) {
      if (closing || ended) {
        return;
      }
      closing = true;
      now = broken;
      if (!now) {
        if (!evenIfReady && out.isReady()) {
          complete();
        } else {
          dropAfter(graceMillis);
        }
        return;
      }
      complete();
    }
    ended(); // not every container reports the end of a request whose connection failed
  }

  /**
   * Times the request out after {@code graceMillis} (at least the container's checking time): the
   * container's own asynchronous timeout first, then, where that did not end it, the timer.
   */
  private synchronized void dropAfter(long graceMillis) {
    long last = Math.max(graceMillis, CloseGrace.CONTAINER_CHECKS_MILLIS);
    long open = Duration.ofNanos(System.nanoTime() - openedAt).toMillis();
    try {
      async.setTimeout(open + Math.max(1, last - CloseGrace.CONTAINER_CHECKS_MILLIS));
      var unused =
          closeGrace.timer().schedule(this::dispatchIfStillThere, last, TimeUnit.MILLISECONDS);
    } catch (IllegalStateException e) {
      // the request has ended already
    }
  }

  private synchronized void dispatchIfStillThere() {
    if (ended) {
      return;
    }
    LOG.fine(
        "An ended stream's request is still there after its grace: dispatched to be timed out");
    try {
      async.getRequest().setAttribute(EndedStreamServlet.OUTPUT, this);
      async.dispatch(EndedStreamServlet.PATH);
    } catch (IllegalStateException e) {
      // the request has ended meanwhile
    }
  }

  /** The last asynchronous cycle, started by {@link EndedStreamServlet}: it times out at once. */
  synchronized void lastCycle(AsyncContext restarted) {
    LOG.fine("An ended stream's last asynchronous cycle starts");
    async = restarted;
    restarted.setTimeout(1);
    restarted.addListener(new RequestEndListener(this));
  }

  @Override
  public void onWritePossible() {
    synchronized (this) {
      awaitingWritePossible = false;
      if (closing) {
        complete();
        return;
      }
    }
    Listener told = listener;
    if (told != null) {
      told.writePossible();
    }
  }

  /** Completes the request unless it has ended already. */
  private synchronized void complete() {
    if (ended) {
      return;
    }
    try {
      async.complete();
    } catch (IllegalStateException e) {
      // completed or failed already
    }
  }

  /**
   * A write failed (the container's write timeout, a reset): the request is completed, as not every
   * container does it itself.
   */
  @Override
  public void onError(Throwable failure) {
    LOG.log(Level.FINE, "A stream's write failed", failure);
    complete(); // on the container's thread, so the request is still this one
    ended();
  }

  /** The request is over, however it ended: the stream learns it once. */
  void ended() {
    Runnable release;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      release = whenReleased;
    }
    release.run();
    Listener told = listener;
    if (told != null) {
      told.failed();
    }
  }
}
