package io.parley.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange on a plain socket, bytes exactly as given: for requests no HTTP client
 * would send (invalid UTF-8, broken framing, odd methods). Reads the answer until the server
 * closes, or for an event stream until it has been quiet for a moment.
 */
final class RawHttp {

  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and
   * {@code body}.
   */
  static Answer exchange(ParleyServer server, String head, byte[] body) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write(
          (head + "\r\nHost: 127.0.0.1:" + server.port() + "\r\nConnection: close\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      if (body != null && !head.toLowerCase(Locale.ROOT).contains("transfer-encoding")) {
        request.write(
            ("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      request.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        request.write(body);
      }
      // Written beside the reading: the server may answer (413) and close before it read a huge
      // body.
      Thread writer =
          new Thread(
              () -> {
                try {
                  socket.getOutputStream().write(request.toByteArray());
                  socket.getOutputStream().flush();
                } catch (IOException e) {
                  // refused before the end of the body
                }
              },
              "raw-http-writer");
      writer.setDaemon(true);
      writer.start();
      return read(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Answer read(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n != -1 && all.size() < 1 << 20; n = in.read(buffer)) {
        all.write(buffer, 0, n);
        if (all.toString(StandardCharsets.ISO_8859_1)
            .toLowerCase(Locale.ROOT)
            .contains("content-type: text/event-stream")) {
          socket.setSoTimeout(200);
        }
      }
    } catch (SocketTimeoutException e) {
      // an open event stream: what came so far is the answer
    } catch (IOException e) {
      // reset after the answer (the server would not read a body it refused)
    }
    String text = all.toString(StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n", -1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new Answer(
        Integer.parseInt(lines[0].split(" ", -1)[1]), headers, text.substring(end + 4));
  }
}
