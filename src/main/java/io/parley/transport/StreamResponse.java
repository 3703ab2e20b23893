package io.parley.transport;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.Map;

/** The start of a stream's response: its status and headers sent, its request made asynchronous. */
final class StreamResponse {

  private StreamResponse() {}

  /**
   * Sends {@code 200}, {@code text/event-stream}, no caching or proxy buffering, and {@code
   * headers}, and keeps the request open with no timeout. On HTTP/1.1 the body is chunked and the
   * connection closes after it; on HTTP/2 there is no connection-specific header.
   */
  static AsyncContext start(
      HttpServletRequest request, HttpServletResponse response, Map<String, String> headers)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(MediaType.SERVER_SENT_EVENTS);
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    headers.forEach(response::setHeader);
    if (request.getProtocol().equals("HTTP/1.1")) {
      // Chunked, so that the client sees a clean end (the last chunk) when the server ends the
      // stream, and then closed, not kept alive. A container answers Connection: close without
      // chunks unless the response has trailers (which only chunks can carry): it has none, but
      // says it may. HTTP/1.0 reads the body until the connection closes; HTTP/2 has neither.
      response.setHeader("Connection", "close");
      response.setTrailerFields(Map::of);
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(0);
    response.flushBuffer();
    return async;
  }
}
