package io.parley.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

/**
 * Refuses with 415 (problem+json) a request under {@code /api} whose Content-Type is not a media
 * type, is a wildcard ({@code *}{@code /*}: a body has one type, and Jersey would pick any method
 * for it, the form one then failing with a 500), or names a charset this server does not know; and
 * a POST without a Content-Type, for the same reason. It runs before JAX-RS, whose servlet would
 * otherwise answer such a header with a bare 400, or fail on the charset with a 500; and again when
 * {@link BodyReadFilter} hands a request on with its body read (filters run in no set order).
 */
@WebFilter(
    urlPatterns = "/api/*",
    asyncSupported = true,
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ASYNC})
public class ContentTypeFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String header = request.getHeader("Content-Type");
    String problem;
    if (header != null) {
      problem = problemWith(header);
    } else if ("POST".equals(request.getMethod())) {
      problem =
          "The request has no Content-Type; send application/json."; // Jersey would pick any method
      // for it
    } else {
      problem = null;
    }
    if (problem == null) {
      chain.doFilter(request, response);
      return;
    }
    ProblemMapper.write(response, 415, problem);
  }

  private static String problemWith(String header) {
    MediaType type;
    try {
      type = MediaType.valueOf(header);
    } catch (IllegalArgumentException e) {
      return "The Content-Type header is not a media type.";
    }
    if (type.isWildcardType() || type.isWildcardSubtype()) {
      return "The Content-Type "
          + type.getType()
          + "/"
          + type.getSubtype()
          + " is a pattern, not the body's type; send application/json.";
    }
    String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
    if (charset != null && !known(charset)) {
      return "The charset " + charset + " is not supported; send UTF-8.";
    }
    return null;
  }

  private static boolean known(String charset) {
    try {
      return Charset.isSupported(charset);
    } catch (IllegalCharsetNameException e) {
      return false;
    }
  }
}
