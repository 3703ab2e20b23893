package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.History;
import io.parley.chat.InvalidInputException;
import io.parley.chat.Poster;
import io.parley.chat.PrivateRooms;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/rooms}: the rooms with messages or people online, a page at a time (private rooms
 * only to their members), and making a private room.
 */
@Path("rooms")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class RoomResource {

  private final ChatService chat;
  private final History history;
  private final PrivateRooms rooms;
  private final Callers callers;

  @Inject
  public RoomResource(ChatService chat, History history, PrivateRooms rooms, Callers callers) {
    this.chat = chat;
    this.history = history;
    this.rooms = rooms;
    this.callers = callers;
  }

  /**
   * A page of rooms by name ({@code limit}, default {@value ChatService#DEFAULT_ROOMS_LIMIT}, after
   * the name {@code after}), with a {@code Link: <…>; rel="next"} header when more follow. With
   * {@code unreadAfter=room:id,…} instead: those rooms, each with its unread count and whether the
   * caller is mentioned ({@link History#unread}): a signed-in caller by their nick, anyone else by
   * {@code nick} (as a stream names its reader; mentions are no secret).
   */
  @GET
  public Response rooms(
      @QueryParam("after") String after,
      @QueryParam("limit") String limit,
      @QueryParam("unreadAfter") String unreadAfter,
      @QueryParam("nick") String nick,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    if (unreadAfter != null) {
      Poster reader = callers.viewer(request).poster();
      String named = reader.isSignedIn() ? reader.signedIn() : nick;
      return Response.ok(history.unread(lastRead(unreadAfter), reader, named)).build();
    }
    ChatService.RoomsPage page =
        chat.rooms(
            after,
            LimitParameter.parse(
                limit, ChatService.DEFAULT_ROOMS_LIMIT, ChatService.MAX_ROOMS_LIMIT),
            callers.viewer(request).poster());
    Response.ResponseBuilder answer = Response.ok(page.rooms());
    if (page.more()) {
      String last = page.rooms().get(page.rooms().size() - 1).name();
      answer.link(uri.getRequestUriBuilder().replaceQueryParam("after", last).build(), "next");
    }
    return answer.build();
  }

  /**
   * {@code room:id} pairs separated by commas, at most {@value #MAX_UNREAD_ROOMS}: the last message
   * read in each room.
   */
  private static Map<String, String> lastRead(String unreadAfter) {
    Map<String, String> lastRead = new LinkedHashMap<>();
    for (String pair : unreadAfter.split(",", -1)) {
      int colon = pair.indexOf(':');
      if (colon < 1 || colon == pair.length() - 1) {
        throw new InvalidInputException("unreadAfter", "must be room:id pairs separated by commas");
      }
      lastRead.put(pair.substring(0, colon), pair.substring(colon + 1));
    }
    if (lastRead.size() > MAX_UNREAD_ROOMS) {
      throw new InvalidInputException(
          "unreadAfter", "may name at most " + MAX_UNREAD_ROOMS + " rooms");
    }
    return lastRead;
  }

  /** How many rooms one {@code unreadAfter} may name. */
  static final int MAX_UNREAD_ROOMS = 100;

  /**
   * {@code {"name":…,"private":true}} by a signed-in person: 201 with the private room, its owner
   * and its invite (the secret, and a link to the page that joins with it).
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(
      RoomRequest body, @Context HttpServletRequest request, @Context UriInfo uri) {
    if (body == null || body.name() == null) {
      throw new InvalidInputException("name", "must not be empty");
    }
    if (!Boolean.TRUE.equals(body.isPrivate())) {
      throw new InvalidInputException(
          "private", "must be true: a public room exists once anything is posted to it");
    }
    PrivateRooms.Invitation made = rooms.create(body.name(), callers.poster(request).poster());
    return Response.created(uri.getAbsolutePathBuilder().path(made.name()).path("messages").build())
        .entity(answer(made, uri))
        .build();
  }

  /** A private room as its owner is told of it, with the invite and a link that uses it. */
  static Map<String, Object> answer(PrivateRooms.Invitation made, UriInfo uri) {
    Map<String, Object> answer = new TreeMap<>();
    answer.put("name", made.name());
    answer.put("private", true);
    answer.put("owner", made.owner());
    answer.put("invite", made.invite());
    // The secret travels in the fragment, which browsers send to no server.
    answer.put(
        "inviteUrl",
        uri.getBaseUri().resolve("..") + "?room=" + made.name() + "#invite=" + made.invite());
    return answer;
  }
}
