package io.parley.api;

import io.parley.chat.InvalidInputException;
import io.parley.chat.Sessions;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /api/sessions}: start a session that holds a nick, see it, end it. A browser keeps the
 * session in the {@code parley_session} cookie (HttpOnly, SameSite=Lax, Secure over HTTPS); other
 * clients send the token the answer holds as {@code Authorization: Bearer <token>}.
 */
@Path("sessions")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class SessionResource {

  /**
   * A session as answered; the token only to the request that started it; {@code moderator} when
   * its holder may moderate (a moderator's session, or an identity provider's moderator).
   */
  public record SessionAnswer(String nick, Instant expiresAt, String token, boolean moderator) {}

  private final Sessions sessions;
  private final Callers callers;
  private final AccessLimits limits;
  private final ClientAddress clients;
  private final Integrations integrations;

  @Inject
  public SessionResource(
      Sessions sessions,
      Callers callers,
      AccessLimits limits,
      ClientAddress clients,
      Integrations integrations) {
    this.sessions = sessions;
    this.callers = callers;
    this.limits = limits;
    this.clients = clients;
    this.integrations = integrations;
  }

  /**
   * 201 with the new session, or 200 with the caller's own if it holds that nick already; 403
   * {@code nick-held} if someone else's session holds it. A moderator takes their own (reserved)
   * name by adding its {@code secret}; a secret that is not that name's is 401.
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response start(
      NickRequest body, @Context HttpServletRequest request, @Context UriInfo uri) {
    limits.startSession(clients.of(request));
    if (body == null || body.nick() == null) {
      throw new InvalidInputException("nick", "must not be empty");
    }
    String current =
        callers
            .signedIn(request)
            .flatMap(Callers.Caller::session)
            .map(Sessions.SignedIn::token)
            .orElse(null);
    Sessions.SignedIn session =
        body.secret() == null
            ? sessions.start(body.nick(), current)
            : integrations
                .moderatorOf(body.secret())
                .flatMap(moderator -> sessions.startModerator(body.nick(), moderator, current))
                .orElseThrow(() -> Callers.unauthorized("The secret is not this name's."));
    Response.ResponseBuilder answer =
        session.token().equals(current)
            ? Response.ok()
            : Response.created(uri.getAbsolutePathBuilder().path("current").build());
    return answer
        .entity(
            new SessionAnswer(
                session.nick(), session.expiresAt(), session.token(), session.moderator()))
        .cookie(
            cookie(session.token(), Duration.between(Instant.now(), session.expiresAt()), request))
        .build();
  }

  /** The caller's session (its nick and until when it is held), or 401. */
  @GET
  @Path("current")
  public SessionAnswer current(@Context HttpServletRequest request) {
    Callers.Caller caller =
        callers
            .signedIn(request)
            .filter(signedIn -> signedIn.session().isPresent())
            .orElseThrow(() -> Callers.unauthorized("There is no session: POST /api/sessions."));
    Sessions.SignedIn session = caller.session().orElseThrow();
    return new SessionAnswer(
        session.nick(), session.expiresAt(), null, caller.poster().moderator());
  }

  /** Ends the caller's session, if it has one: its nick is free; the cookie is cleared. 204. */
  @DELETE
  @Path("current")
  public Response end(@Context HttpServletRequest request) {
    callers
        .signedIn(request)
        .flatMap(Callers.Caller::session)
        .map(Sessions.SignedIn::token)
        .ifPresent(sessions::end);
    return Response.noContent().cookie(cookie("", Duration.ZERO, request)).build();
  }

  private static NewCookie cookie(String token, Duration maxAge, HttpServletRequest request) {
    return new NewCookie.Builder(Callers.SESSION_COOKIE)
        .value(token)
        .path("/")
        .httpOnly(true)
        .sameSite(NewCookie.SameSite.LAX)
        .secure(request.isSecure())
        .maxAge((int) Math.max(0, maxAge.toSeconds()))
        .build();
  }
}
