package io.parley.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error page (see {@code WEB-INF/web.xml}): errors the servlet container answers
 * itself, before JAX-RS sees the request, become problem+json too, never an HTML page.
 */
@WebServlet("/error-page")
public class ErrorPageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (response.isCommitted()) {
      return; // a response under way (a stream that timed out): the container closes its connection
    }
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer given ? given : 404;
    String detail =
        status >= 500
            ? "The server failed; the failure has been logged."
            : "The server could not serve this request.";
    ProblemMapper.write(response, status, detail);
  }
}
