package io.parley.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * The bodies about rooms: {@code POST /api/rooms} ({@code name}, {@code private}) and {@code POST
 * /api/rooms/{room}/members} ({@code invite} to join, or the owner's {@code nick} to add).
 */
public record RoomRequest(String name, Boolean isPrivate, String invite, String nick) {

  /** Reads a {@link RoomRequest} from JSON ({@link JsonObjectReader}). */
  @Provider
  @Consumes(MediaType.APPLICATION_JSON)
  public static class Reader extends JsonObjectReader<RoomRequest> {

    public Reader() {
      super(RoomRequest.class, "{\"name\":\"…\",\"private\":true} or {\"invite\":\"…\"}");
    }

    @Override
    RoomRequest from(JsonObject object) {
      return new RoomRequest(
          string(object, "name"),
          flag(object, "private"),
          string(object, "invite"),
          string(object, "nick"));
    }
  }
}
