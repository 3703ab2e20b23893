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
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who makes a request: an integration (its token in {@code Authorization: Bearer}), a person signed
 * in with a session or an identity provider's JWT ({@link JwtSignIn}) (the token in {@code
 * Authorization: Bearer}, or in the {@code parley_session} or {@code parley_jwt} cookie a browser
 * sends), or an anonymous person. A session token or JWT that is wrong or expired in the header is
 * 401; in a cookie it is as if there were none. A request that changes something and is signed in
 * by the cookie must come from the page's own origin or an allowed one (its {@code Origin}, which
 * {@link CorsFilter} has checked): a form on another site cannot post as its visitors.
 */
@ApplicationScoped
public class Callers {

  /** The cookie that carries a browser's session token. */
  public static final String SESSION_COOKIE = "parley_session";

  /** The cookie that carries an identity provider's JWT, where a deployment has one. */
  public static final String JWT_COOKIE = "parley_jwt";

  private static final String CHALLENGE = "Bearer realm=\"parley\"";
  private static final Set<String> SAFE_METHODS =
      Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  /**
   * Who a request is from; {@code session} is set for a signed-in person, {@code endsAt} when what
   * signed them in expires (an identity provider's token), else null.
   */
  public record Caller(Poster poster, Optional<Sessions.SignedIn> session, Instant endsAt) {

    static final Caller ANONYMOUS = new Caller(Poster.PERSON, Optional.empty(), null);

    public boolean isAnonymous() {
      return !poster.isIntegration() && !poster.isSignedIn();
    }
  }

  private final Integrations integrations;
  private final Sessions sessions;
  private final JwtSignIn jwt;
  private final boolean authRequired;

  @Inject
  public Callers(Integrations integrations, Sessions sessions, JwtSignIn jwt, ParleyConfig config) {
    this.integrations = integrations;
    this.sessions = sessions;
    this.jwt = jwt;
    this.authRequired = config.signIn().authRequired();
  }

  /** For the CDI proxy only. */
  protected Callers() {
    this.integrations = null;
    this.sessions = null;
    this.jwt = null;
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
      throw unauthorized(
          "Posting needs a session (POST /api/sessions), a sign-in token or an integration token.");
    }
    return new Caller(poster, Optional.empty(), null);
  }

  /** The caller of a read (history, a message, the rooms): anyone, signed in or not. */
  public Caller viewer(HttpServletRequest request) {
    Caller caller = signedIn(request).orElse(null);
    if (caller != null) {
      return caller;
    }
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null && !authorization.isBlank()) {
      return new Caller(integrations.poster(authorization), Optional.empty(), null);
    }
    return Caller.ANONYMOUS;
  }

  /** The caller of a stream: anyone, unless {@code parley.auth.required} (then 401). */
  public Caller reader(HttpServletRequest request) {
    Caller caller = viewer(request);
    if (caller.isAnonymous() && authRequired) {
      throw unauthorized("Streams need a session (POST /api/sessions) or a sign-in token.");
    }
    return caller;
  }

  /**
   * The person a request signs in as, if any: by a session or an identity provider's JWT, in its
   * {@code Authorization} header, else in its cookie; see the class.
   */
  public Optional<Caller> signedIn(HttpServletRequest request) {
    String bearer = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (bearer != null && Sessions.isSessionToken(bearer)) {
      return Optional.of(
          sessions
              .find(bearer)
              .map(Callers::caller)
              .orElseThrow(() -> unauthorized("The session is not valid, or it has ended.")));
    }
    if (bearer != null && jwt.enabled() && JwtSignIn.looksLikeJwt(bearer)) {
      return Optional.of(provided(jwt.verify(bearer)));
    }
    if (bearer != null) {
      return Optional.empty(); // an integration's token
    }
    Optional<Caller> byCookie = sessions.find(cookie(request, SESSION_COOKIE)).map(Callers::caller);
    if (byCookie.isEmpty() && jwt.enabled()) {
      byCookie = byJwtCookie(cookie(request, JWT_COOKIE));
    }
    if (byCookie.isPresent()
        && !SAFE_METHODS.contains(request.getMethod())
        && request.getHeader("Origin") == null) {
      throw new ForbiddenException(
          "A change made with a sign-in cookie needs the Origin header of the page that makes"
              + " it.");
    }
    return byCookie;
  }

  /** A JWT from the cookie: one that is not valid (now) is as if there were none. */
  private Optional<Caller> byJwtCookie(String token) {
    if (token == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(provided(jwt.verify(token)));
    } catch (NotAuthorizedException notValid) {
      return Optional.empty();
    }
  }

  private Caller provided(JwtSignIn.JwtUser user) {
    Sessions.SignedIn held = sessions.provided(user.subject(), user.nick());
    Poster poster = Poster.provided(held.nick(), user.rooms());
    return new Caller(
        user.moderator() ? poster.asModerator() : poster,
        Optional.of(new Sessions.SignedIn(held.nick(), user.expiresAt(), null, user.moderator())),
        user.expiresAt());
  }

  /** The value of the request's cookie of that name, or null. */
  private static String cookie(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie cookie : cookies) {
      if (name.equals(cookie.getName())) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static Caller caller(Sessions.SignedIn session) {
    Poster person = Poster.signedIn(session.nick());
    return new Caller(
        session.moderator() ? person.asModerator() : person, Optional.of(session), null);
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
