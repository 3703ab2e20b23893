package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.MessageRules;
import io.parley.stream.RoomStreams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/rooms/{room}/events}: a room's SSE stream. Resumes from the
 * {@code Last-Event-ID} header, or from a {@code lastEventId} query parameter for clients that
 * cannot set headers.
 */
@Path("rooms/{room}/events")
@ApplicationScoped
public class EventStreamResource {

  private final RoomStreams streams;
  private final MessageRules rules;

  @Inject
  public EventStreamResource(RoomStreams streams, MessageRules rules) {
    this.streams = streams;
    this.rules = rules;
  }

  /** For the CDI proxy only. */
  protected EventStreamResource() {
    this(null, null);
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void stream(
      @PathParam("room") String room,
      @QueryParam("nick") String nick,
      @HeaderParam("Last-Event-ID") String lastEventIdHeader,
      @QueryParam("lastEventId") String lastEventIdParameter,
      @Context SseEventSink sink,
      @Context Sse sse,
      @Context HttpServletRequest request) {
    ChatService.requireRoom(room);
    String presenceNick = nick == null || nick.isBlank() ? null : nick.strip();
    if (presenceNick != null) {
      rules.checkNick(presenceNick);
    }
    String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParameter;
    streams
        .open(room, sse)
        .join(sink, presenceNick, lastEventId == null ? null : lastEventId.strip(),
            stream -> ConnectionEndListener.watch(request, stream));
  }
}
