package io.parley.api;

import io.parley.config.ParleyConfig;
import io.parley.ops.ParleyMetrics;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request's body without holding a thread (a {@link ReadListener}), then dispatches the
 * request again with the body in memory (the {@link #BODY} attribute, which {@link BodyLimitFilter}
 * gives JAX-RS as the entity); a body that came with the headers goes on at once. A client that
 * trickles its body a byte at a time therefore ties up no thread of the container, and one that
 * takes longer than {@value #BODY_SECONDS} s in all is answered 408. At most {@code
 * parley.limit.body-bytes} + 1 bytes are read: enough for {@link BodyLimitFilter} to refuse a
 * larger body with 413.
 */
@WebFilter(
    urlPatterns = "/api/*",
    asyncSupported = true,
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class BodyReadFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;
  static final long BODY_SECONDS = 30;

  /**
   * The request attribute that holds a body read here; {@link BodyLimitFilter} hands it to JAX-RS.
   */
  static final String BODY = BodyReadFilter.class.getName() + ".body";

  /**
   * Looked up when the container starts the filter: not every container has CDI fill in the fields
   * of a filter it makes (Tomcat with Weld does, Jetty without its CDI module does not).
   */
  private transient ParleyConfig config;

  private transient ParleyMetrics metrics;

  @Override
  public void init() {
    config = CDI.current().select(ParleyConfig.class).get();
    metrics = CDI.current().select(ParleyMetrics.class).get();
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    int limit = config.bodyLimitBytes();
    long length = request.getContentLengthLong();
    boolean hasBody = length > 0 || request.getHeader("Transfer-Encoding") != null;
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || !hasBody
        || length > limit
        || (length > 0 && request.getInputStream().available() >= length)) {
      // Nothing to read, too large to read at all (413), or all here already (most posts): on at
      // once.
      chain.doFilter(request, response);
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(TimeUnit.SECONDS.toMillis(BODY_SECONDS));
    Reader reader = new Reader(async, request.getInputStream(), limit, length, metrics);
    async.addListener(reader);
    request.getInputStream().setReadListener(reader);
    reader.filterReturning();
  }

  /**
   * Reads the body as it comes, on the container's threads; then dispatches the request again.
   *
   * <p>The dispatch waits for {@link #filterReturning}: a container may call the listener on
   * another thread while the first dispatch is still in {@code doFilter} (Payara does, with
   * HTTP/2), and a second dispatch started then has Payara write the answer's body twice.
   *
   * <p>A body of a known length is handed on as its last byte is read, without asking the stream
   * again: once the request is dispatched, the container may end it and give its objects to another
   * request, and Payara hands a listener call it queued before then to whichever request holds them
   * (seen as posts on other connections whose body never came). Once {@code done}, nothing here
   * touches the stream. {@code onAllDataRead} comes once the whole body has been read, but Payara
   * may run it on another thread while {@code onDataAvailable} returns: {@code done} is volatile,
   * set once under {@code this}, which also guards the two other flags.
   */
  private static final class Reader implements ReadListener, AsyncListener {
    private final AsyncContext async;
    private final ServletInputStream in;
    private final int limit;

    /** The body's length as its headers give it, or -1 when they do not (chunked). */
    private final long length;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile boolean done;
    private boolean filterReturned;
    private boolean bodyRead;
    private final ParleyMetrics metrics;
    private final AtomicBoolean reading = new AtomicBoolean(true);

    Reader(
        AsyncContext async, ServletInputStream in, int limit, long length, ParleyMetrics metrics) {
      this.async = async;
      this.in = in;
      this.limit = limit;
      this.length = length;
      this.metrics = metrics;
      metrics.bodyReading(true);
    }

    private void readingEnded() {
      if (reading.compareAndSet(true, false)) {
        metrics.bodyReading(false);
      }
    }

    @Override
    public void onDataAvailable() throws IOException {
      byte[] chunk = new byte[4096];
      while (!done && in.isReady()) {
        int read = in.read(chunk);
        if (read < 0) {
          return; // onAllDataRead follows
        }
        body.write(chunk, 0, Math.min(read, limit + 1 - body.size()));
        if (body.size() > limit || body.size() == length) {
          handOn(); // the whole body, or too much of one (BodyLimitFilter answers 413)
        }
      }
    }

    @Override
    public void onAllDataRead() {
      handOn();
    }

    private void handOn() {
      synchronized (this) {
        if (done) {
          return; // a listener call on another thread handed it on
        }
        done = true;
      }
      readingEnded();
      async.getRequest().setAttribute(BODY, body.toByteArray());
      synchronized (this) {
        bodyRead = true;
        if (!filterReturned) {
          return; // filterReturning dispatches
        }
      }
      async.dispatch();
    }

    /**
     * Called by the first dispatch as it leaves the filter: from now on a read body dispatches at
     * once.
     */
    void filterReturning() {
      synchronized (this) {
        filterReturned = true;
        if (!bodyRead) {
          return;
        }
      }
      async.dispatch();
    }

    @Override
    public void onError(Throwable failure) {
      done = true; // the client went away: nothing to answer, nothing to keep
      readingEnded();
      async.complete();
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      done = true;
      readingEnded();
      ProblemMapper.write(
          (HttpServletResponse) async.getResponse(),
          408,
          "The request's body did not arrive within " + BODY_SECONDS + " seconds.");
      async.complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
      readingEnded();
    }

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
