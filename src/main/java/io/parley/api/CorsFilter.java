package io.parley.api;

import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cross-origin requests under {@code /api}: origins in {@code parley.cors.origins} (none by
 * default: same origin only; {@code *} for any) get {@code Access-Control-Allow-Origin} (their own
 * origin echoed, never {@code *}) on every answer, the event stream included, and their preflights
 * answered; origins named there may send cookies ({@code Access-Control-Allow-Credentials}). A
 * request from any other origin, or one a browser marks {@code Sec-Fetch-Site: cross-site} without
 * an allowed origin, is 403, reads and streams included: a page elsewhere can neither post through
 * its visitors' browsers nor make them appear online. Clients that send neither header (curl,
 * integrations) are not concerned.
 */
@Provider
@PreMatching
@Dependent
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

  static final String ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
  static final String ALLOWED_HEADERS =
      "Authorization, Content-Type, Idempotency-Key, Last-Event-ID";
  static final String EXPOSED_HEADERS = "Idempotent-Replayed, Location, Retry-After";
  static final long MAX_AGE_SECONDS = 600;
  static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";

  private final Set<String> origins;
  private final boolean anyOrigin;

  @Inject
  public CorsFilter(ParleyConfig config) {
    this(config.corsOrigins());
  }

  CorsFilter(List<String> origins) {
    this.anyOrigin = origins.contains("*");
    this.origins =
        Set.copyOf(origins.stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList());
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String origin = request.getHeaderString("Origin");
    if (origin == null) {
      // No Origin: not a browser's cross-origin request, unless the browser says it comes from
      // another site (an <img> or <script> pointed at a stream, which sends no Origin).
      if ("cross-site".equalsIgnoreCase(request.getHeaderString("Sec-Fetch-Site"))) {
        throw new ForbiddenException("Requests from other sites are not allowed.");
      }
      return;
    }
    if (sameOrigin(origin, request.getHeaderString(HttpHeaders.HOST))) {
      return;
    }
    if (!allowed(origin)) {
      throw new ForbiddenException("Requests from the origin " + origin + " are not allowed.");
    }
    boolean preflight =
        request.getMethod().equals(HttpMethod.OPTIONS)
            && request.getHeaderString("Access-Control-Request-Method") != null;
    if (preflight) {
      Response.ResponseBuilder answer =
          Response.noContent()
              .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
              .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
              .header("Access-Control-Max-Age", MAX_AGE_SECONDS);
      if (listed(origin)) {
        answer.header(ALLOW_CREDENTIALS, "true");
      }
      request.abortWith(answer.build());
    }
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    responseHeaders(request.getHeaderString("Origin"), request.getHeaderString(HttpHeaders.HOST))
        .forEach(
            (name, value) -> {
              if (name.equals(HttpHeaders.VARY)) {
                response.getHeaders().add(name, value);
              } else {
                response.getHeaders().putSingle(name, value);
              }
            });
  }

  /**
   * The CORS headers of an answer to a request from {@code origin} (null if none) to {@code host};
   * also for event streams, whose headers are sent before JAX-RS would add these.
   */
  Map<String, String> responseHeaders(String origin, String host) {
    if (origins.isEmpty() && !anyOrigin) {
      return Map.of();
    }
    if (origin != null && !sameOrigin(origin, host) && allowed(origin)) {
      return listed(origin)
          ? Map.of(
              HttpHeaders.VARY,
              "Origin",
              "Access-Control-Allow-Origin",
              origin,
              "Access-Control-Expose-Headers",
              EXPOSED_HEADERS,
              ALLOW_CREDENTIALS,
              "true")
          : Map.of(
              HttpHeaders.VARY,
              "Origin",
              "Access-Control-Allow-Origin",
              origin,
              "Access-Control-Expose-Headers",
              EXPOSED_HEADERS);
    }
    return Map.of(HttpHeaders.VARY, "Origin");
  }

  private boolean allowed(String origin) {
    return anyOrigin || listed(origin);
  }

  /**
   * Whether the origin is named in {@code parley.cors.origins}: only such an origin may send
   * cookies ({@code *} allows any origin, but without them).
   */
  private boolean listed(String origin) {
    return origins.contains(origin.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether the page that sent the request was served by this host (the scheme may differ behind a
   * TLS proxy).
   */
  private static boolean sameOrigin(String origin, String host) {
    try {
      String authority = URI.create(origin).getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host.strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
