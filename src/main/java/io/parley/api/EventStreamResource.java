package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.MessageRules;
import io.parley.stream.RoomStreams;
import jakarta.enterprise.context.ApplicationScoped;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/rooms/{room}/events}: a room's SSE stream. Resumes from the
 * {@code Last-Event-ID} header, or from a {@code lastEventId} query parameter for clients that
 * cannot set headers. Each stream holds a place under the stream limits until it ends. Jersey's
 * sink only opens the response and sends its headers; the events go out through the stream's own
 * non-blocking output ({@link ServletEventOutput}).
 */
@Path("rooms/{room}/events")
@ApplicationScoped
public class EventStreamResource {

  private final RoomStreams streams;
  private final MessageRules rules;
  private final StreamLimits limits;
  private final ClientAddress clients;

  @Inject
  public EventStreamResource(RoomStreams streams, MessageRules rules, StreamLimits limits, ClientAddress clients) {
    this.streams = streams;
    this.rules = rules;
    this.limits = limits;
    this.clients = clients;
  }

  /** For the CDI proxy only. */
  protected EventStreamResource() {
    this(null, null, null, null);
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("room") String room,
      @QueryParam("nick") String nick,
      @HeaderParam("Last-Event-ID") String lastEventIdHeader,
      @QueryParam("lastEventId") String lastEventIdParameter,
      @Context SseEventSink sink,
      @Context HttpServletRequest request,
      @Context HttpServletResponse response) {
    ChatService.requireRoom(room);
    String presenceNick = nick == null || nick.isBlank() ? null : nick.strip();
    if (presenceNick != null) {
      rules.checkNick(presenceNick);
    }
    String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParameter;
    Runnable release = limits.admit(clients.of(request));
    ServletEventOutput output = new ServletEventOutput(request, response, sink);
    try {
      streams
          .open(room)
          .join(output, presenceNick, lastEventId == null ? null : lastEventId.strip(), stream -> {
            stream.whenClosed(release);
            ConnectionEndListener.watch(request, stream);
          });
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    output.startWhenJerseyIsDone();
  }
}
