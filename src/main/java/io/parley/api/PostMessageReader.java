package io.parley.api;

import io.parley.chat.PostMessage;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads a posted message from JSON. Anything that is not a JSON object of strings (broken
 * syntax, an array, numbers, nesting) is refused here with a clear 400, before any rule is checked.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class PostMessageReader implements MessageBodyReader<PostMessage> {

  private static final Jsonb JSON = JsonbBuilder.create();

  @Override
  public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type == PostMessage.class;
  }

  @Override
  public PostMessage readFrom(
      Class<PostMessage> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> httpHeaders,
      InputStream body)
      throws IOException {
    byte[] bytes = body.readAllBytes();
    if (bytes.length == 0) {
      throw new MalformedBodyException("The body is empty; send {\"author\":\"…\",\"text\":\"…\"}.");
    }
    try {
      PostMessage message = JSON.fromJson(new ByteArrayInputStream(bytes), PostMessage.class);
      if (message == null) {
        throw new MalformedBodyException("The body is null; send {\"author\":\"…\",\"text\":\"…\"}.");
      }
      return message;
    } catch (JsonbException | jakarta.json.JsonException | IllegalArgumentException e) {
      throw new MalformedBodyException(
          "The body is not a JSON object of the form {\"author\":\"…\",\"text\":\"…\"}.");
    }
  }
}
