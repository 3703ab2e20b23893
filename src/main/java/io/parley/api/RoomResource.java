package io.parley.api;

import io.parley.chat.ChatService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code GET /api/rooms}: the rooms with messages or people online, a page at a time. */
@Path("rooms")
@Dependent
public class RoomResource {

  private final ChatService chat;

  @Inject
  public RoomResource(ChatService chat) {
    this.chat = chat;
  }

  /**
   * A page of rooms by name ({@code limit}, default {@value ChatService#DEFAULT_ROOMS_LIMIT}, after
   * the name {@code after}), with a {@code Link: <…>; rel="next"} header when more follow.
   */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response rooms(
      @QueryParam("after") String after, @QueryParam("limit") String limit, @Context UriInfo uri) {
    ChatService.RoomsPage page =
        chat.rooms(
            after,
            LimitParameter.parse(
                limit, ChatService.DEFAULT_ROOMS_LIMIT, ChatService.MAX_ROOMS_LIMIT));
    Response.ResponseBuilder answer = Response.ok(page.rooms());
    if (page.more()) {
      String last = page.rooms().get(page.rooms().size() - 1).name();
      answer.link(uri.getRequestUriBuilder().replaceQueryParam("after", last).build(), "next");
    }
    return answer.build();
  }
}
