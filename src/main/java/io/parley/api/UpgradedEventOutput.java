package io.parley.api;

import io.parley.stream.EventOutput;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A stream's connection, the one place below JAX-RS. The stream's response is an ordinary HTTP
 * response ({@code 200}, {@code text/event-stream}, a chunked body, {@code Connection: close});
 * once its headers are sent, the servlet container hands the connection over (Servlet HTTP
 * upgrade, the mechanism WebSocket uses) and events are written to it without blocking ({@link
 * WriteListener}). The container then forgets the request: none of its request and response
 * buffers stay behind for the life of the stream, and a write goes nearly straight to the socket.
 * The client's end of the connection is read only to learn that it closed.
 *
 * <p>Measured with {@code bench/} on Tomcat: an open stream held about 37 KB of heap as a
 * suspended asynchronous request (Jersey's {@code SseEventSink}) and about 10 KB this way.
 *
 * <p>Containers differ in what they hand over, and this class knows the two it is tested on.
 * Tomcat hands over the bare connection: this class writes the chunked framing, and the client
 * closing its end is the end of the input. Tomcat also never closes an upgraded connection on an
 * application thread's word, nor after a timeout; so a stream the server ends gets its last chunk,
 * the client closes its end in answer, and the container lets the connection go then. Payara
 * (Grizzly) frames the bytes itself and ends the input as soon as the request (which has no body)
 * has been read.
 */
public class UpgradedEventOutput implements HttpUpgradeHandler, EventOutput, WriteListener, ReadListener {

  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private volatile WebConnection connection;
  private volatile ServletOutputStream out;
  private volatile ServletInputStream in;
  private volatile Listener listener;
  /**
   * Whether the container hands over the bare connection (Tomcat): then this side writes the
   * chunk framing of an HTTP/1.1 response, and the end of the input is the client closing. Payara (Grizzly) frames the
   * bytes itself and ends the input when the request (which has no body) has been read.
   */
  private volatile boolean bare;
  /** Whether this side writes the chunk framing: a chunked response on a bare connection. */
  private volatile boolean framed;
  private volatile boolean ended;

  /** Made by the servlet container ({@link #open}). */
  public UpgradedEventOutput() {}

  /**
   * Sends the stream's response headers ({@code 200}, {@code text/event-stream}, no caching or
   * proxy buffering, and {@code extraHeaders}) and asks the container for the connection, which it
   * hands over ({@link #init}) once the request has left the application.
   */
  static UpgradedEventOutput open(HttpServletRequest request, HttpServletResponse response, Map<String, String> extraHeaders)
      throws IOException {
    try {
      UpgradedEventOutput output = request.upgrade(UpgradedEventOutput.class);
      response.setStatus(HttpServletResponse.SC_OK); // upgrade() set 101: this response is the stream itself
      response.setContentType(MediaType.SERVER_SENT_EVENTS);
      response.setHeader("Cache-Control", "no-cache");
      response.setHeader("X-Accel-Buffering", "no");
      response.setHeader("Connection", "close");
      // HTTP/1.1: a chunked body, whose last chunk tells the client the stream ended. An HTTP/1.0
      // client reads the body until the connection closes.
      boolean chunked = "HTTP/1.1".equals(request.getProtocol());
      if (chunked) {
        response.setHeader("Transfer-Encoding", "chunked");
      }
      extraHeaders.forEach(response::setHeader);
      response.flushBuffer();
      output.bare = request.getServletContext().getServerInfo().startsWith("Apache Tomcat");
      output.framed = chunked && output.bare;
      return output;
    } catch (jakarta.servlet.ServletException e) {
      throw new IOException("cannot take the stream's connection over", e);
    }
  }

  @Override
  public void init(WebConnection webConnection) {
    connection = webConnection;
    try {
      ServletInputStream input = webConnection.getInputStream();
      ServletOutputStream output = webConnection.getOutputStream();
      in = input;
      out = output;
      input.setReadListener(this);
      output.setWriteListener(this); // the container calls onWritePossible as soon as it can
    } catch (IOException | RuntimeException e) {
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
   * Writes and flushes. When the write filled the connection, the container refuses the flush and
   * sends what it holds by itself once it can, then calls {@link #onWritePossible}.
   */
  @Override
  public void write(byte[] bytes) throws IOException {
    ServletOutputStream stream = out;
    stream.write(framed ? chunk(bytes) : bytes);
    try {
      stream.flush();
    } catch (IllegalStateException notReady) {
      // the connection is full: the container writes the rest and then calls onWritePossible
    }
  }

  /** One chunk of a chunked body: the size in hex, the bytes, each line ended by CRLF. */
  static byte[] chunk(byte[] bytes) {
    byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] chunk = new byte[size.length + bytes.length + 2];
    System.arraycopy(size, 0, chunk, 0, size.length);
    System.arraycopy(bytes, 0, chunk, size.length, bytes.length);
    chunk[chunk.length - 2] = '\r';
    chunk[chunk.length - 1] = '\n';
    return chunk;
  }

  /**
   * Ends the response with its last chunk and closes the connection. The client sees a clean end
   * and closes its side, which is what lets Tomcat release the connection: it closes an upgraded
   * connection only when something happens on it, never on an application thread's word. Called
   * by the stream only while no write is under way and the connection takes bytes.
   */
  @Override
  public void close() {
    ServletOutputStream stream = out;
    if (framed && stream != null && !ended) {
      ended = true;
      try {
        stream.write(LAST_CHUNK);
        stream.flush();
      } catch (IOException | RuntimeException e) {
        // the connection is gone or full; it is closed below either way
      }
    }
    closeConnection();
  }

  private void closeConnection() {
    WebConnection open = connection;
    if (open == null) {
      return;
    }
    try {
      open.close();
    } catch (Exception e) {
      // the connection is gone already
    }
  }

  @Override
  public void onWritePossible() {
    Listener told = listener;
    if (told != null) {
      told.writePossible();
    }
  }

  /**
   * A failed write, or the client closed or reset its end: nothing more can be written. The
   * connection is closed here, on the container's thread, so that the container lets it go.
   */
  @Override
  public void onError(Throwable failure) {
    closeConnection();
    Listener told = listener;
    if (told != null) {
      told.failed();
    }
  }

  /** A client sends nothing after its request; whatever comes is read and dropped. */
  @Override
  public void onDataAvailable() throws IOException {
    ServletInputStream input = in;
    byte[] discard = new byte[256];
    while (input.isReady() && !input.isFinished() && input.read(discard) >= 0) {
      // dropped
    }
  }

  /**
   * On a bare connection: the client closed its end (a browser does so only when it leaves). On
   * Payara: the request's empty body has been read, which ends nothing.
   */
  @Override
  public void onAllDataRead() {
    if (bare) {
      onError(null);
    }
  }

  /** The container closed the connection (after {@link #close}, a failure, or because it stops). */
  @Override
  public void destroy() {
    onError(null);
  }
}
