package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.Moderation;
import io.parley.chat.PostKey;
import io.parley.chat.Poster;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * What happens in a room besides messages: moderators' bans ({@code …/bans}: ban, list, lift) and
 * typing signals ({@code …/typing}).
 */
@Path("rooms/{room}")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class ModerationResource {

  private final Moderation moderation;
  private final ChatService chat;
  private final Callers callers;
  private final AccessLimits limits;
  private final ClientAddress clients;

  @Inject
  public ModerationResource(
      Moderation moderation,
      ChatService chat,
      Callers callers,
      AccessLimits limits,
      ClientAddress clients) {
    this.moderation = moderation;
    this.chat = chat;
    this.callers = callers;
    this.limits = limits;
    this.clients = clients;
  }

  /**
   * A moderator bans {@code nick} for {@code minutes}: 201 with the ban; the nick's streams in the
   * room end. {@code Idempotency-Key} as for posts.
   */
  @POST
  @Path("bans")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response ban(
      @PathParam("room") String room,
      BanRequest body,
      @HeaderParam(MessageResource.IDEMPOTENCY_KEY) String idempotencyKey,
      @Context HttpServletRequest request) {
    Poster poster = callers.poster(request).poster();
    PostKey key =
        idempotencyKey == null
            ? null
            : new PostKey(MessageResource.keyOwner(poster, clients, request), idempotencyKey);
    Moderation.Banned banned =
        moderation.ban(
            room,
            body == null ? null : body.nick(),
            body == null ? null : body.minutes(),
            poster,
            key);
    return MessageResource.replayed(
        Response.status(Response.Status.CREATED)
            .type(MediaType.APPLICATION_JSON)
            .entity(banned.ban()),
        banned.replayed());
  }

  /** The room's bans in force, to moderators. */
  @GET
  @Path("bans")
  public List<Moderation.BanInfo> bans(
      @PathParam("room") String room, @Context HttpServletRequest request) {
    return moderation.bans(room, callers.viewer(request).poster());
  }

  /** A moderator lifts a ban: 204, or 404 if the nick had none in force. */
  @DELETE
  @Path("bans/{nick}")
  public Response lift(
      @PathParam("room") String room,
      @PathParam("nick") String nick,
      @Context HttpServletRequest request) {
    if (!moderation.lift(room, nick, callers.poster(request).poster())) {
      throw new NotFoundException(nick + " is not banned from the room " + room + ".");
    }
    return Response.noContent().build();
  }

  /**
   * Someone is typing: 204. A signed-in person types as their nick; anyone else sends {@code
   * {"nick":…}}. Rate-limited per client ({@code parley.limit.typing-*}).
   */
  @POST
  @Path("typing")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response typing(
      @PathParam("room") String room, BanRequest body, @Context HttpServletRequest request) {
    limits.typing(clients.of(request));
    chat.typed(room, callers.poster(request).poster(), body == null ? null : body.nick());
    return Response.noContent().build();
  }
}
