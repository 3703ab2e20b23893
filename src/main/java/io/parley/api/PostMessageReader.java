package io.parley.api;

import io.parley.chat.PostMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
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
import java.util.Map;

/**
 * Reads a posted message from JSON with JSON-P: the whole body must parse as one JSON object whose
 * {@code author} and {@code text} are strings (or missing); anything else (broken syntax, an array,
 * numbers, nesting) is refused here with a clear 400, before any rule is checked. Not with JSON-B:
 * Yasson 3.0 never returns from some truncated bodies that have an unknown nested object (an object
 * inside an object, cut off before its end), which would hold a request thread forever.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class PostMessageReader implements MessageBodyReader<PostMessage> {

  /**
   * Made once: {@code Json.createReader} looks the JSON-P provider up through the class path each
   * time.
   */
  private final JsonReaderFactory readers = Json.createReaderFactory(Map.of());

  @Override
  public boolean isReadable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
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
      throw new MalformedBodyException(
          "The body is empty; send {\"author\":\"…\",\"text\":\"…\"}.");
    }
    JsonValue value;
    try (JsonReader reader = readers.createReader(new ByteArrayInputStream(bytes))) {
      value = reader.readValue();
    } catch (RuntimeException e) {
      // JsonException for broken syntax; Parsson throws a plain RuntimeException past 1,000 levels
      // of nesting
      throw new MalformedBodyException(
          "The body is not a JSON object of the form {\"author\":\"…\",\"text\":\"…\"}.");
    }
    if (!(value instanceof JsonObject object)) {
      throw new MalformedBodyException(
          "The body is not a JSON object of the form {\"author\":\"…\",\"text\":\"…\"}.");
    }
    return new PostMessage(string(object, "author"), string(object, "text"));
  }

  /** A field's text; null when it is missing or null; anything else than a string is malformed. */
  private static String string(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value instanceof JsonString text) {
      return text.getString();
    }
    throw new MalformedBodyException("The field " + field + " must be a string.");
  }
}
