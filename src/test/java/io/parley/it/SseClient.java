package io.parley.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A real SSE client that parses events as the SSE spec says, byte for byte. Over HTTP/1.1 it is a
 * plain socket: it sends the GET, reads the status line and headers, then decodes the chunked body.
 * Over HTTP/2 it is curl ({@link Http2}), whose output it reads the same way. Closing it drops the
 * connection as a browser tab would. A stalled client reads nothing until {@link #resumeReading()}
 * (over HTTP/1.1 with as small a receive buffer as the OS allows).
 */
final class SseClient implements AutoCloseable {

  private static final SseEvent END = new SseEvent("<end of stream>", null, null, null);

  /** How curl speaks HTTP/2 to the server. */
  enum Http2 {
    /** h2c without asking first (RFC 9113 3.3). */
    PRIOR_KNOWLEDGE("--http2-prior-knowledge"),
    /** h2c after an HTTP/1.1 {@code Upgrade: h2c}. */
    UPGRADE("--http2"),
    /** h2 over TLS, chosen by ALPN; the test's own certificate is trusted. */
    TLS("--http2", "--insecure");

    @SuppressWarnings("ImmutableEnumChecker") // List.of: immutable, though its type does not say so
    private final List<String> options;

    Http2(String... options) {
      this.options = List.of(options);
    }

    List<String> options() {
      return options;
    }
  }

  private final AutoCloseable connection;
  private final int localPort;
  private final InputStream body;
  private final String protocol;
  private final int status;
  private final Map<String, String> headers;
  private final BooleanSupplier cleanEnd;
  private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean reading;
  private volatile boolean endedCleanly;
  private volatile boolean lastChunk;

  /** The id a browser would send as Last-Event-ID now (an event's id counts without data too). */
  private volatile String lastEventId;

  private SseClient(
      AutoCloseable connection,
      int localPort,
      InputStream in,
      Head head,
      BooleanSupplier cleanEnd) {
    this.connection = connection;
    this.localPort = localPort;
    this.protocol = head.protocol();
    this.status = head.status();
    this.headers = head.headers();
    boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    this.body = chunked ? new ChunkedBody(in) : in;
    this.cleanEnd = chunked ? () -> lastChunk : cleanEnd;
  }

  /** A response's status line and headers (names in lower case). */
  private record Head(String protocol, int status, Map<String, String> headers) {

    static Head read(InputStream in) throws IOException {
      String statusLine = readLine(in);
      if (statusLine == null) {
        throw new IOException("no response");
      }
      String[] parts = statusLine.split(" ", -1);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
        int colon = line.indexOf(':');
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      return new Head(parts[0], Integer.parseInt(parts[1]), headers);
    }
  }

  static SseClient open(ParleyServer server, String path, String lastEventId) {
    return connect(server, path, lastEventId, Map.of(), false);
  }

  /**
   * A stream opened with more request headers (X-Forwarded-For, Origin…); read only if it answered
   * 200.
   */
  static SseClient openWith(ParleyServer server, String path, Map<String, String> headers) {
    return connect(server, path, null, headers, false);
  }

  /**
   * A client that stops reading right after the headers, with as little buffer as the OS allows.
   */
  static SseClient stalled(ParleyServer server, String path) {
    return connect(server, path, null, Map.of(), true);
  }

  /** A stalled client that sends more request headers. */
  static SseClient stalledWith(ParleyServer server, String path, Map<String, String> headers) {
    return connect(server, path, null, headers, true);
  }

  private static SseClient connect(
      ParleyServer server,
      String path,
      String lastEventId,
      Map<String, String> extraHeaders,
      boolean stalled) {
    try {
      Socket socket = new Socket();
      if (stalled) {
        socket.setReceiveBufferSize(1024);
      }
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
      socket.setSoTimeout(30_000);
      URI uri = server.uri().resolve(path);
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(uri.getRawPath());
      if (uri.getRawQuery() != null) {
        request.append('?').append(uri.getRawQuery());
      }
      request.append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(server.port()).append("\r\n");
      request.append("Accept: text/event-stream\r\n");
      if (lastEventId != null) {
        request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
      }
      extraHeaders.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
      SseClient client =
          new SseClient(socket, socket.getLocalPort(), in, Head.read(in), () -> false);
      if (!stalled && client.status == 200) {
        client.resumeReading();
      }
      return client;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A stream over HTTP/2, read from curl's output; {@code stalled} reads nothing until {@link
   * #resumeReading()}, so curl stops reading once its output pipe is full, and then the HTTP/2
   * flow-control window of the stream closes.
   */
  static SseClient overHttp2(
      ParleyServer server,
      Http2 mode,
      String path,
      Map<String, String> requestHeaders,
      boolean stalled) {
    URI uri = (mode == Http2.TLS ? server.tlsUri() : server.uri()).resolve(path);
    List<String> command =
        new ArrayList<>(List.of("curl", "--silent", "--show-error", "--no-buffer", "--include"));
    command.addAll(mode.options);
    command.add("--header");
    command.add("Accept: text/event-stream");
    requestHeaders.forEach(
        (name, value) -> {
          command.add("--header");
          command.add(name + ": " + value);
        });
    try {
      int localPort = Ports.free();
      command.addAll(List.of("--local-port", Integer.toString(localPort), uri.toString()));
      Process curl =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      InputStream in = new BufferedInputStream(curl.getInputStream(), 8192);
      Head head = Head.read(in);
      if (head.status() == 101) { // the h2c upgrade: the real answer follows
        head = Head.read(in);
      }
      SseClient client =
          new SseClient(curl::destroy, localPort, in, head, () -> exitValue(curl) == 0);
      if (!stalled && client.status == 200) {
        client.resumeReading();
      }
      return client;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int exitValue(Process process) {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * The protocol of the answer, as its status line names it: {@code HTTP/1.1} or {@code HTTP/2}.
   */
  String protocol() {
    return protocol;
  }

  int status() {
    return status;
  }

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Starts (or, for a stalled client, resumes) reading the stream on a thread of its own. */
  void resumeReading() {
    if (reading) {
      return;
    }
    reading = true;
    Thread reader = new Thread(this::readEvents, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next event, whatever its type; fails if none comes in time. */
  @SuppressWarnings("ReferenceEquality") // END is a marker, known by identity
  SseEvent next(Duration timeout) {
    try {
      SseEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + timeout);
      }
      if (event == END) {
        events.add(END);
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next event that matches, skipping the others (pings, presence…). */
  @SuppressWarnings("ReferenceEquality") // END is a marker, known by identity
  SseEvent next(Predicate<SseEvent> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching event within " + timeout);
      }
      SseEvent event = next(Duration.ofNanos(left));
      if (event == END) {
        throw new AssertionError("the stream ended before a matching event came");
      }
      if (wanted.test(event)) {
        return event;
      }
    }
  }

  /** The next {@code count} message events, skipping everything else. */
  List<SseEvent> messages(int count, Duration timeout) {
    List<SseEvent> messages = new ArrayList<>();
    while (messages.size() < count) {
      messages.add(next(event -> event.is("message"), timeout));
    }
    return messages;
  }

  /** Every event received so far and not yet taken, up to the end of the stream if it ended. */
  List<SseEvent> drain() {
    List<SseEvent> all = new ArrayList<>();
    events.drainTo(all);
    all.remove(END);
    return all;
  }

  boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether the server ended the stream properly (HTTP/1.1: its last chunk came; HTTP/2: the stream
   * ended without a reset), not by dropping it.
   */
  boolean endedCleanly() {
    return endedCleanly;
  }

  /**
   * The last event id the stream gave, as a browser keeps it for its next Last-Event-ID: also from
   * an id sent alone, which dispatches no event.
   */
  String lastEventId() {
    return lastEventId;
  }

  /** The client's end of its connection, as the server's socket table names the peer. */
  int localPort() {
    return localPort;
  }

  /** Every response header, names in lower case. */
  Map<String, String> headers() {
    return headers;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // closed either way
    }
  }

  private void readEvents() {
    try {
      String type = null;
      String id = null;
      Long retry = null;
      StringBuilder data = null;
      for (String line = readLine(body); line != null; line = readLine(body)) {
        if (line.isEmpty()) {
          if (id != null) {
            lastEventId = id;
          }
          if (data != null || retry != null) {
            events.add(
                new SseEvent(
                    type == null ? "message" : type,
                    id,
                    data == null ? null : data.toString(),
                    retry));
          }
          type = null;
          id = null;
          retry = null;
          data = null;
        } else if (line.startsWith(":")) {
          events.add(new SseEvent("comment", null, line.substring(1).strip(), null));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          value = value.startsWith(" ") ? value.substring(1) : value;
          switch (field) {
            case "event" -> type = value;
            case "id" -> id = value;
            case "retry" -> retry = Long.parseLong(value);
            case "data" ->
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {}
          }
        }
      }
    } catch (IOException e) {
      // the connection was closed, by us or by the server
    } finally {
      endedCleanly = cleanEnd.getAsBoolean();
      events.add(END);
      ended.countDown();
    }
  }

  /** One line, without its end (LF or CRLF); null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  /** HTTP/1.1 chunked transfer decoding: the body ends at the zero-size chunk. */
  private final class ChunkedBody extends InputStream {

    private final InputStream in;
    private long left;
    private boolean done;

    ChunkedBody(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = readLine(in);
        if (size == null) {
          done = true;
          return -1;
        }
        if (size.isEmpty()) {
          size = readLine(in);
        }
        if (size == null) {
          done = true;
          return -1;
        }
        left = Long.parseLong(size.split(";", -1)[0].trim(), 16);
        if (left == 0) {
          done = true;
          lastChunk = true;
          return -1;
        }
      }
      int b = in.read();
      if (b == -1) {
        done = true;
        return -1;
      }
      left--;
      return b;
    }

    /** Reads byte by byte: the chunk sizes come between the bytes. */
    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, into.length);
      if (length == 0) {
        return 0;
      }
      int read = 0;
      while (read < length) {
        int b = read();
        if (b == -1) {
          return read == 0 ? -1 : read;
        }
        into[offset + read++] = (byte) b;
        if (left == 0) {
          break; // the next chunk's size may not have come yet: do not wait for it
        }
      }
      return read;
    }
  }
}
