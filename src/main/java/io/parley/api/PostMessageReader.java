package io.parley.api;

import io.parley.chat.PostMessage;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads a posted message from JSON ({@link JsonObjectReader}): one object whose {@code author} and
 * {@code text} are strings (or missing).
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class PostMessageReader extends JsonObjectReader<PostMessage> {

  public PostMessageReader() {
    super(PostMessage.class, "{\"author\":\"…\",\"text\":\"…\"}");
  }

  @Override
  PostMessage from(JsonObject object) {
    return new PostMessage(string(object, "author"), string(object, "text"));
  }
}
