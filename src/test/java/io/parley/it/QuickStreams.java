package io.parley.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Streams opened and left at once, many of them quickly: a plain socket, no reading thread. */
final class QuickStreams {

  private QuickStreams() {}

  /**
   * Opens a stream as {@code client} (by X-Forwarded-For), waits for its {@code connected} event,
   * and closes the connection.
   */
  static void openAndClose(ParleyServer server, String path, String client) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /"
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + server.port()
                  + "\r\nAccept: text/event-stream\r\nX-Forwarded-For: "
                  + client
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      StringBuilder head = new StringBuilder();
      while (head.indexOf("event: connected") < 0) {
        int read = in.read(buffer);
        if (read < 0) {
          throw new AssertionError("the stream " + path + " ended before it started: " + head);
        }
        head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
      }
      if (head.indexOf("HTTP/1.1 200") != 0) {
        throw new AssertionError(head.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
