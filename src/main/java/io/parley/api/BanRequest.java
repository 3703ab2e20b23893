package io.parley.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * The bodies of {@code POST /api/rooms/{room}/bans} ({@code nick}, {@code minutes}) and {@code POST
 * /api/rooms/{room}/typing} ({@code nick}, for someone not signed in).
 */
public record BanRequest(String nick, Integer minutes) {

  /** Reads a {@link BanRequest} from JSON ({@link JsonObjectReader}). */
  @Provider
  @Consumes(MediaType.APPLICATION_JSON)
  public static class Reader extends JsonObjectReader<BanRequest> {

    public Reader() {
      super(BanRequest.class, "{\"nick\":\"…\",\"minutes\":10}");
    }

    @Override
    BanRequest from(JsonObject object) {
      return new BanRequest(string(object, "nick"), integer(object, "minutes"));
    }
  }
}
