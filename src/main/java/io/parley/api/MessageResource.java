package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.History;
import io.parley.chat.InvalidInputException;
import io.parley.chat.MessageChanges;
import io.parley.chat.PostKey;
import io.parley.chat.PostMessage;
import io.parley.chat.Posted;
import io.parley.chat.Poster;
import io.parley.core.Message;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** A room's messages: history, one message, posting as JSON or as a form, editing and deleting. */
@Path("rooms/{room}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class MessageResource {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private final ChatService chat;
  private final History history;
  private final MessageChanges changes;
  private final Callers callers;
  private final PostRateLimit rateLimit;
  private final ClientAddress clients;

  @Inject
  public MessageResource(
      ChatService chat,
      History history,
      MessageChanges changes,
      Callers callers,
      PostRateLimit rateLimit,
      ClientAddress clients) {
    this.chat = chat;
    this.history = history;
    this.changes = changes;
    this.callers = callers;
    this.rateLimit = rateLimit;
    this.clients = clients;
  }

  @GET
  public List<Message> history(
      @PathParam("room") String room,
      @QueryParam("after") String after,
      @QueryParam("before") String before,
      @QueryParam("limit") String limit,
      @QueryParam("include") String include,
      @Context HttpServletRequest request) {
    if (include != null && !include.equals("deleted")) {
      throw new InvalidInputException("include", "must be deleted, or left out");
    }
    return history.history(
        room,
        after,
        before,
        LimitParameter.parse(limit, History.DEFAULT_HISTORY_LIMIT, History.MAX_HISTORY_LIMIT),
        callers.viewer(request).poster(),
        include != null);
  }

  @GET
  @Path("{id}")
  public Message one(
      @PathParam("room") String room,
      @PathParam("id") String id,
      @Context HttpServletRequest request) {
    return history
        .find(room, id, callers.viewer(request).poster())
        .orElseThrow(() -> new NotFoundException("No message " + id + " in room " + room));
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response postJson(
      @PathParam("room") String room,
      PostMessage message,
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    return post(room, message, idempotencyKey, request, uri);
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response postForm(
      @PathParam("room") String room,
      @FormParam("author") String author,
      @FormParam("text") String text,
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @Context HttpServletRequest request,
      @Context UriInfo uri) {
    return post(room, new PostMessage(author, text), idempotencyKey, request, uri);
  }

  /** Edits a message's text, by its author within the edit window: 200 with the message. */
  @PATCH
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response edit(
      @PathParam("room") String room,
      @PathParam("id") String id,
      PostMessage body,
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @Context HttpServletRequest request) {
    Poster poster = admit(request);
    Posted edited =
        changes.edit(
            room,
            id,
            body == null ? null : body.text(),
            poster,
            key(poster, idempotencyKey, request));
    return replayed(Response.ok(edited.message(), MediaType.APPLICATION_JSON), edited.replayed());
  }

  /** Deletes a message, by its author within the edit window or by a moderator: 204. */
  @DELETE
  @Path("{id}")
  public Response delete(
      @PathParam("room") String room,
      @PathParam("id") String id,
      @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
      @Context HttpServletRequest request) {
    Poster poster = admit(request);
    boolean replayed = changes.delete(room, id, poster, key(poster, idempotencyKey, request));
    return replayed(Response.noContent(), replayed);
  }

  private PostKey key(Poster poster, String idempotencyKey, HttpServletRequest request) {
    return idempotencyKey == null
        ? null
        : new PostKey(keyOwner(poster, clients, request), idempotencyKey);
  }

  static Response replayed(Response.ResponseBuilder response, boolean replayed) {
    if (replayed) {
      response.header(IDEMPOTENT_REPLAYED, "true");
    }
    return response.build();
  }

  /**
   * Posts as the admitted poster; with an {@code Idempotency-Key}, per poster (an integration by
   * its name, a signed-in person by their nick, anyone else by client address), a repeat is
   * answered as the first post was, with {@code Idempotent-Replayed: true}.
   */
  private Response post(
      String room,
      PostMessage message,
      String idempotencyKey,
      HttpServletRequest request,
      UriInfo uri) {
    Poster poster = admit(request);
    PostKey key = key(poster, idempotencyKey, request);
    Posted posted = chat.post(room, message, poster, key);
    Response.ResponseBuilder created =
        Response.created(uri.getAbsolutePathBuilder().path(posted.message().id()).build())
            .type(MediaType.APPLICATION_JSON)
            .entity(posted.message());
    return replayed(created, posted.replayed());
  }

  /**
   * Whose an idempotency key is: an integration's by its name, a signed-in person's by their nick,
   * anyone else's by client address.
   */
  static String keyOwner(Poster poster, ClientAddress clients, HttpServletRequest request) {
    if (poster.isIntegration()) {
      return "token:" + poster.integration();
    }
    return poster.isSignedIn() ? "user:" + poster.signedIn() : "client:" + clients.of(request);
  }

  /**
   * Who posts, if they may post now: an integration with a valid token (not rate limited), or a
   * person (signed in or not) within the client's rate. A refused token counts against the client's
   * rate too, so guessing tokens is as slow as posting.
   */
  private Poster admit(HttpServletRequest request) {
    Poster poster;
    try {
      poster = callers.poster(request).poster();
    } catch (NotAuthorizedException e) {
      rateLimit.admit(clients.of(request));
      throw e;
    }
    if (!poster.isIntegration()) {
      rateLimit.admit(clients.of(request));
    }
    return poster;
  }
}
