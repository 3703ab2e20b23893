package io.parley.api;

import io.parley.chat.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * Reads a request body that is one JSON object of strings (and flags), with JSON-P; anything else
 * (broken syntax, an array, numbers, nesting) is a clear 400 before any rule is checked. Not with
 * JSON-B: Yasson 3.0 never returns from some truncated bodies that have an unknown nested object
 * (an object inside an object, cut off before its end), which would hold a request thread forever.
 */
abstract class JsonObjectReader<T> implements MessageBodyReader<T> {

  /**
   * Made once: {@code Json.createReader} looks the JSON-P provider up through the class path each
   * time.
   */
  private final JsonReaderFactory readers = Json.createReaderFactory(Map.of());

  private final Class<T> type;

  /** {@code form} shows the expected object in refusals. */
  private final String form;

  JsonObjectReader(Class<T> type, String form) {
    this.type = type;
    this.form = form;
  }

  /** The body made of the object's fields; see {@link #string}. */
  abstract T from(JsonObject object);

  @Override
  public boolean isReadable(
      Class<?> asked, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return asked == type;
  }

  @Override
  public T readFrom(
      Class<T> asked,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, String> httpHeaders,
      InputStream body)
      throws IOException {
    byte[] bytes = body.readAllBytes();
    if (bytes.length == 0) {
      throw new MalformedBodyException("The body is empty; send " + form + ".");
    }
    JsonValue value;
    try (JsonReader reader = readers.createReader(new ByteArrayInputStream(bytes))) {
      value = reader.readValue();
    } catch (RuntimeException e) {
      // JsonException for broken syntax; Parsson throws a plain RuntimeException past 1,000 levels
      // of nesting
      throw new MalformedBodyException("The body is not a JSON object of the form " + form + ".");
    }
    if (!(value instanceof JsonObject object)) {
      throw new MalformedBodyException("The body is not a JSON object of the form " + form + ".");
    }
    return from(object);
  }

  /**
   * A field's truth; null when it is missing or null; anything else than a boolean is malformed.
   */
  static Boolean flag(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value.getValueType() == JsonValue.ValueType.TRUE
        || value.getValueType() == JsonValue.ValueType.FALSE) {
      return value.getValueType() == JsonValue.ValueType.TRUE;
    }
    throw new MalformedBodyException("The field " + field + " must be true or false.");
  }

  /** A field's text; null when it is missing or null; anything else than a string is malformed. */
  static String string(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value instanceof JsonString text) {
      return text.getString();
    }
    throw new MalformedBodyException("The field " + field + " must be a string.");
  }

  /**
   * A field's whole number; null when it is missing or null; anything else than an integer in range
   * is a field error.
   */
  static Integer integer(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (value instanceof JsonNumber number && number.isIntegral()) {
      try {
        return number.bigIntegerValue().intValueExact();
      } catch (ArithmeticException tooLarge) {
        throw new InvalidInputException(field, "is too large");
      }
    }
    throw new InvalidInputException(field, "must be a whole number");
  }
}
