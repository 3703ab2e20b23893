package io.parley.chat;

/**
 * What is wrong with one field of a request: {@code message} in English for people reading the API,
 * {@code code} for programs (the chat page says it in its own language): {@code required}, {@code
 * too-long}, {@code control-characters}, {@code invisible-characters}, or {@code invalid}.
 */
public record FieldError(String field, String message, String code) {

  public static final String INVALID = "invalid";
}
