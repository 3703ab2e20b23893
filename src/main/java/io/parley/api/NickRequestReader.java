package io.parley.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads a session's nick from JSON ({@link JsonObjectReader}): one object whose nick (and secret,
 * if any) is text.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class NickRequestReader extends JsonObjectReader<NickRequest> {

  public NickRequestReader() {
    super(NickRequest.class, "{\"nick\":\"…\"} or {\"nick\":\"…\",\"secret\":\"…\"}");
  }

  @Override
  NickRequest from(JsonObject object) {
    return new NickRequest(string(object, "nick"), string(object, "secret"));
  }
}
