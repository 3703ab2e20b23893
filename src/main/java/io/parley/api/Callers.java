package io.parley.api;

import io.parley.chat.Poster;
import io.parley.chat.Sessions;
import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.Set;

/**
 * Who makes a request: an integration (its token in {@code Authorization: Bearer}), a person signed
 * in with a session (its token in {@code Authorization: Bearer}, or in the {@code parley_session}
 * cookie a browser sends), or an anonymous person. A session token that is wrong or expired in the
 * header is 401; in the cookie it is as if there were none. A request that changes something and is
 * signed in by the cookie must come from the page's own origin or an allowed one (its {@code
 * Origin}, which {@link CorsFilter} has checked): a form on another site cannot post as its
 * visitors.
 */
@ApplicationScoped
public class Callers {

  /** The cookie that carries a browser's session token. */
  public static final String SESSION_COOKIE = "parley_session";

  private static final String CHALLENGE = "Bearer realm=\"parley\"";
  private static final Set<String> SAFE_METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  /** Who a request is from; {@code session} is set for a signed-in person. */
  public record Caller(Poster poster, Optional<Sessions.SignedIn> session) {

    static final Caller ANONYMOUS = new Caller(Poster.PERSON, Optional.empty());

    public boolean isAnonymous() {
      return !poster.isIntegration() && !poster.isSignedIn();
    }
  }

  private final Integrations integrations;
  private final Sessions sessions;
  private final boolean authRequired;

  @Inject
  public Callers(Integrations integrations, Sessions sessions, ParleyConfig config) {
    this.integrations = integrations;
    this.sessions = sessions;
    this.authRequired = config.authRequired();
  }

  /** For the CDI proxy only. */
  protected Callers() {
    this.integrations = null;
    this.sessions = null;
    this.authRequired = false;
  }

  /**
   * The caller of a post: anonymous only while {@code parley.post.anonymous} allows it and {@code
   * parley.auth.required} does not forbid it (else 401).
   */
  public Caller poster(HttpServletRequest request) {
    Caller caller = signedIn(request).orElse(null);
    if (caller != null) {
      return caller;
    }
    Poster poster = integrations.poster(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (!poster.isIntegration() && authRequired) {
      throw unauthorized("Posting needs a session (POST /api/sessions) or an integration token.");
    }
    return new Caller(poster, Optional.empty());
  }

  /** The caller of a stream or a read; anonymous unless {@code parley.auth.required} (then 401). */
  public Caller reader(HttpServletRequest request) {
    Caller caller = signedIn(request).orElse(null);
    if (caller != null) {
      return caller;
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && !authorization.isBlank()) {
      return new Caller(integrations.poster(authorization), Optional.empty());
    }
    if (authRequired) {
      throw unauthorized("Streams need a session (POST /api/sessions).");
    }
    return Caller.ANONYMOUS;
  }

  /** The session a request shows (in its header, else its cookie), if any; see the class. */
  public Optional<Caller> signedIn(HttpServletRequest request) {
    String bearer = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (bearer != null && Sessions.isSessionToken(bearer)) {
      return Optional.of(
          sessions
              .find(bearer)
              .map(Callers::caller)
              .orElseThrow(() -> unauthorized("The session is not valid, or it has ended.")));
    }
    if (bearer != null) {
      return Optional.empty(); // an integration's token
    }
    Optional<Sessions.SignedIn> byCookie = sessions.find(cookie(request));
    if (byCookie.isPresent()
        && !SAFE_METHODS.contains(request.getMethod())
        && request.getHeader("Origin") == null) {
      throw new ForbiddenException(
          "A change made with the session cookie needs the Origin header of the page that makes"
              + " it.");
    }
    return byCookie.map(Callers::caller);
  }

  /** The session token of the request's cookie, or null. */
  public static String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie cookie : cookies) {
      if (SESSION_COOKIE.equals(cookie.getName())) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static Caller caller(Sessions.SignedIn session) {
    return new Caller(Poster.signedIn(session.nick()), Optional.of(session));
  }

  /** The token of a {@code Bearer} header, or null without one (or with another scheme). */
  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String[] parts = authorization.strip().split("\\s+", 2);
    return parts.length == 2 && parts[0].equalsIgnoreCase("Bearer") ? parts[1] : null;
  }

  static NotAuthorizedException unauthorized(String detail) {
    return new NotAuthorizedException(detail, CHALLENGE);
  }
}
