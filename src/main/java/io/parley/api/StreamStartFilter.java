package io.parley.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Around JAX-RS: when an event stream's request comes back out of Jersey (its headers sent), the
 * stream's own non-blocking output takes over the connection ({@link ServletEventOutput}).
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class StreamStartFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(request, response);
    ServletEventOutput.startIfStream(request);
  }
}
