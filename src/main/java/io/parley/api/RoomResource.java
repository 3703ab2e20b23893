package io.parley.api;

import io.parley.chat.ChatService;
import io.parley.chat.RoomInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/rooms}: the known rooms. */
@Path("rooms")
@ApplicationScoped
public class RoomResource {

  private final ChatService chat;

  @Inject
  public RoomResource(ChatService chat) {
    this.chat = chat;
  }

  /** For the CDI proxy only. */
  protected RoomResource() {
    this(null);
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<RoomInfo> rooms() {
    return chat.rooms();
  }
}
