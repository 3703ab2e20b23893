package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.MessageRules;
import io.parley.chat.Moderation;
import io.parley.chat.Poster;
import io.parley.chat.RoomAccess;
import io.parley.chat.Sessions;
import io.parley.config.ParleyConfig;
import io.parley.stream.RoomStream;
import io.parley.stream.RoomStreams;
import io.parley.stream.StreamOwner;
import io.parley.transport.AsyncEventOutput;
import io.parley.transport.CloseGrace;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code GET /api/rooms/{room}/events}: a room's SSE stream. Resumes from the {@code Last-Event-ID}
 * header, or from a {@code lastEventId} query parameter for clients that cannot set headers. Each
 * stream holds a place under the stream limits until it ends. JAX-RS routes and checks the request
 * (a refusal is problem+json like any other); the stream itself is the request's asynchronous
 * response ({@link AsyncEventOutput}), over HTTP/1.1 or HTTP/2.
 */
@Path("rooms/{room}/events")
@Dependent
public class EventStreamResource {

  private static final Logger LOG = Logger.getLogger(EventStreamResource.class.getName());

  private final RoomStreams streams;
  private final MessageRules rules;
  private final Sessions sessions;
  private final Callers callers;
  private final RoomAccess access;
  private final StreamLimits limits;
  private final ClientAddress clients;
  private final CorsFilter cors;
  private final CloseGrace closeGrace;
  private final Moderation moderation;

  @Inject
  public EventStreamResource(
      ParleyConfig config,
      RoomStreams streams,
      MessageRules rules,
      Sessions sessions,
      Callers callers,
      RoomAccess access,
      StreamLimits limits,
      ClientAddress clients,
      CorsFilter cors,
      Moderation moderation) {
    this.streams = streams;
    this.moderation = moderation;
    this.rules = rules;
    this.sessions = sessions;
    this.callers = callers;
    this.access = access;
    this.limits = limits;
    this.clients = clients;
    this.cors = cors;
    this.closeGrace =
        config == null ? null : new CloseGrace(config.streamCloseGrace(), streams.timer());
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("room") String room,
      @QueryParam("nick") String nick,
      @HeaderParam("Last-Event-ID") String lastEventIdHeader,
      @QueryParam("lastEventId") String lastEventIdParameter,
      @HeaderParam("Origin") String origin,
      @HeaderParam(HttpHeaders.HOST) String host,
      @Context HttpServletRequest request,
      @Context HttpServletResponse response)
      throws IOException {
    ChatService.requireRoom(room);
    Callers.Caller caller = callers.reader(request);
    access.requireVisible(room, caller.poster());
    String presenceNick = presenceNick(caller, nick);
    moderation.requireNotBanned(room, presenceNick);
    String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParameter;
    Runnable release = limits.admit(clients.of(request));
    RoomStream roomStream;
    try {
      roomStream = streams.open(room); // the room is followed before the response starts, else 503
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    AsyncEventOutput output;
    try {
      output =
          AsyncEventOutput.open(request, response, cors.responseHeaders(origin, host), closeGrace);
    } catch (IOException | RuntimeException e) {
      release.run();
      throw e;
    }
    // The response is under way: from here on, a failure ends the stream (the client comes back).
    // The stream's place is given back when the container has let its connection go.
    output.whenReleased(release);
    try {
      String resumeFrom = lastEventId == null ? null : lastEventId.strip();
      while (!roomStream.join(output, owner(caller, presenceNick), resumeFrom)) {
        roomStream = streams.open(room); // it was retired for being idle just now
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot open a stream in room " + room + "; ending it", e);
      output.close();
    }
  }

  private static StreamOwner owner(Callers.Caller caller, String presenceNick) {
    Poster poster = caller.poster();
    String accessAs = poster.isIntegration() ? StreamOwner.INTEGRATION : poster.signedIn();
    return new StreamOwner(presenceNick, accessAs, caller.endsAt());
  }

  /**
   * Who the stream shows as online: a signed-in person as the nick their session holds (whatever
   * {@code nick} says), anyone else as {@code nick} if nobody's session holds it, or nobody.
   */
  private String presenceNick(Callers.Caller caller, String nick) {
    if (caller.poster().isSignedIn()) {
      return caller.poster().signedIn();
    }
    if (nick == null || nick.isBlank()) {
      return null;
    }
    String checked = rules.checkNick(nick);
    sessions.requireNotHeld(checked);
    return checked;
  }
}
