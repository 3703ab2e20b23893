package io.parley.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Requests over HTTP/2 with curl, a client that speaks every way of starting HTTP/2. */
final class Curl {

  record Answer(String protocol, int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private Curl() {}

  static Answer exchange(
      ParleyServer server,
      SseClient.Http2 mode,
      String method,
      String path,
      String contentType,
      String body) {
    URI uri = (mode == SseClient.Http2.TLS ? server.tlsUri() : server.uri()).resolve(path);
    List<String> command =
        new ArrayList<>(
            List.of("curl", "--silent", "--show-error", "--include", "--max-time", "30"));
    command.addAll(mode.options());
    command.addAll(List.of("--request", method));
    if (contentType != null) {
      command.addAll(List.of("--header", "Content-Type: " + contentType));
    }
    if (body != null) {
      command.addAll(List.of("--data-binary", body));
    }
    command.add(uri.toString());
    try {
      Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!curl.waitFor(60, TimeUnit.SECONDS) || curl.exitValue() != 0) {
        throw new AssertionError("curl " + String.join(" ", command) + " failed: " + output);
      }
      return parse(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What curl says of one of a series of answers: its status, the bytes it had and the length it
   * announced.
   */
  record Summary(int status, long received, String contentLength, String frameOptions) {}

  /** A series' answers, and what curl said on its error output. */
  record Series(List<Summary> answers, String errors) {}

  /**
   * The same request {@code count} times over one connection (curl numbers them with a query
   * parameter {@code n}), as a browser sends a burst of posts; curl must end cleanly.
   */
  static Series series(
      ParleyServer server,
      SseClient.Http2 mode,
      String path,
      String contentType,
      String body,
      int count) {
    URI uri =
        (mode == SseClient.Http2.TLS ? server.tlsUri() : server.uri())
            .resolve(path + "?n=[1-" + count + "]");
    try {
      java.nio.file.Path bodies = java.nio.file.Files.createTempDirectory("parley-curl");
      List<String> command =
          new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "60"));
      command.addAll(mode.options());
      command.addAll(
          List.of(
              "--header",
              "Content-Type: " + contentType,
              "--data-binary",
              body,
              "--output",
              bodies + "/#1",
              "--write-out",
              "%{http_code} %{size_download} %header{content-length} %header{x-frame-options}\\n",
              uri.toString()));
      Process curl = new ProcessBuilder(command).start();
      String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String errors = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!curl.waitFor(90, TimeUnit.SECONDS) || curl.exitValue() != 0) {
        throw new AssertionError("curl " + String.join(" ", command) + " failed: " + errors);
      }
      Folders.delete(bodies);
      return new Series(
          output
              .lines()
              .map(line -> line.split(" ", -1))
              .map(f -> new Summary(Integer.parseInt(f[0]), Long.parseLong(f[1]), f[2], f[3]))
              .toList(),
          errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last response in curl's output (after an h2c upgrade, the 101 comes first). */
  private static Answer parse(String output) {
    String rest = output;
    while (true) {
      int end = rest.indexOf("\r\n\r\n");
      String[] lines = rest.substring(0, end).split("\r\n", -1);
      String[] status = lines[0].split(" ", -1);
      rest = rest.substring(end + 4);
      if (status[1].equals("101")) {
        continue;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      return new Answer(status[0], Integer.parseInt(status[1]), headers, rest);
    }
  }
}
