package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.InvalidInputException;
import io.parley.chat.Message;
import io.parley.chat.PostMessage;
import io.parley.chat.Poster;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** A room's messages: history, one message, and posting as JSON or as a form. */
@Path("rooms/{room}/messages")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class MessageResource {

  private final ChatService chat;
  private final Integrations integrations;
  private final PostRateLimit rateLimit;
  private final ClientAddress clients;

  @Inject
  public MessageResource(ChatService chat, Integrations integrations, PostRateLimit rateLimit, ClientAddress clients) {
    this.chat = chat;
    this.integrations = integrations;
    this.rateLimit = rateLimit;
    this.clients = clients;
  }

  /** For the CDI proxy only. */
  protected MessageResource() {
    this(null, null, null, null);
  }

  @GET
  public List<Message> history(
      @PathParam("room") String room, @QueryParam("after") String after, @QueryParam("limit") String limit) {
    return chat.history(room, after, parseLimit(limit));
  }

  @GET
  @Path("{id}")
  public Message one(@PathParam("room") String room, @PathParam("id") String id) {
    return chat.find(room, id).orElseThrow(() -> new NotFoundException("No message " + id + " in room " + room));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response postJson(
      @PathParam("room") String room,
      PostMessage message,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    return created(chat.post(room, message, admit(authorization, request)), uri);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response postForm(
      @PathParam("room") String room,
      @FormParam("author") String author,
      @FormParam("text") String text,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    return created(chat.post(room, new PostMessage(author, text), admit(authorization, request)), uri);
  }

  /**
   * Who posts, if they may post now: an integration with a valid token (not rate limited), or a
   * person within the client's rate. A refused token counts against the client's rate too, so
   * guessing tokens is as slow as posting.
   */
  private Poster admit(String authorization, HttpServletRequest request) {
    Poster poster;
    try {
      poster = integrations.poster(authorization);
    } catch (NotAuthorizedException e) {
      rateLimit.admit(clients.of(request));
      throw e;
    }
    if (!poster.isIntegration()) {
      rateLimit.admit(clients.of(request));
    }
    return poster;
  }

  private static Response created(Message message, UriInfo uri) {
    return Response.created(uri.getAbsolutePathBuilder().path(message.id()).build())
        .type(MediaType.APPLICATION_JSON)
        .entity(message)
        .build();
  }

  private static int parseLimit(String limit) {
    if (limit == null) {
      return ChatService.DEFAULT_HISTORY_LIMIT;
    }
    try {
      return Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit", "must be a whole number between 1 and " + ChatService.MAX_HISTORY_LIMIT);
    }
  }
}
