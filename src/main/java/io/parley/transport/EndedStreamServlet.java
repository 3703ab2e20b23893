package io.parley.transport;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Where {@link AsyncEventOutput} dispatches a stream the server ended whose client took nothing
 * within the close grace, on a container that did not time it out itself: it starts the request's
 * last asynchronous cycle, which times out at once. Not a page: a request from outside gets 404.
 */
@WebServlet(urlPatterns = EndedStreamServlet.PATH, asyncSupported = true)
public class EndedStreamServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final String PATH = "/.parley/ended-stream";

  /** The request attribute that names the stream's output. */
  static final String OUTPUT = EndedStreamServlet.class.getName() + ".output";

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (request.getDispatcherType() != DispatcherType.ASYNC
        || !(request.getAttribute(OUTPUT) instanceof AsyncEventOutput output)) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    request.removeAttribute(OUTPUT);
    output.lastCycle(request.startAsync());
  }
}
