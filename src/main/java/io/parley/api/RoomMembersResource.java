package io.parley.api;

import io.parley.chat.InvalidInputException;
import io.parley.chat.Poster;
import io.parley.chat.PrivateRooms;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * A private room's members: joining with its invite, and what its owner does (list, add, remove, a
 * new invite). To anyone who is not a member the room does not exist (404).
 */
@Path("rooms/{room}")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class RoomMembersResource {

  private final PrivateRooms rooms;
  private final Callers callers;
  private final AccessLimits limits;
  private final ClientAddress clients;

  @Inject
  public RoomMembersResource(
      PrivateRooms rooms, Callers callers, AccessLimits limits, ClientAddress clients) {
    this.rooms = rooms;
    this.callers = callers;
    this.limits = limits;
    this.clients = clients;
  }

  /**
   * {@code {"invite":…}}: the caller joins (200); {@code {"nick":…}}: the owner adds that nick
   * (201). Invite tries are rate-limited per client.
   */
  @POST
  @Path("members")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response join(
      @PathParam("room") String room, RoomRequest body, @Context HttpServletRequest request) {
    Poster poster = callers.poster(request).poster();
    if (body != null && body.invite() != null) {
      limits.tryInvite(clients.of(request));
      rooms.join(room, body.invite(), poster);
      return Response.ok(Map.of("room", room, "nick", poster.signedIn())).build();
    }
    if (body == null || body.nick() == null) {
      throw new InvalidInputException("invite", "send the room's invite, or (its owner) a nick");
    }
    rooms.add(room, body.nick(), poster);
    return Response.status(Response.Status.CREATED).entity(Map.of("room", room)).build();
  }

  /** The members' nicks, to the owner. */
  @GET
  @Path("members")
  public List<String> members(@PathParam("room") String room, @Context HttpServletRequest request) {
    return rooms.members(room, callers.viewer(request).poster());
  }

  /** The owner removes a member, or a member leaves: 204; their streams in the room end. */
  @DELETE
  @Path("members/{nick}")
  public Response remove(
      @PathParam("room") String room,
      @PathParam("nick") String nick,
      @Context HttpServletRequest request) {
    rooms.remove(room, nick, callers.poster(request).poster());
    return Response.noContent().build();
  }

  /**
   * A new invite; the old one no longer lets anyone in. Posted with any JSON body ({@code {}}):
   * every post carries a Content-Type.
   */
  @POST
  @Path("invite")
  public Map<String, Object> renewInvite(
      @PathParam("room") String room, @Context HttpServletRequest request, @Context UriInfo uri) {
    return RoomResource.answer(rooms.renewInvite(room, callers.poster(request).poster()), uri);
  }
}
