package io.parley.api;

import io.parley.chat.FieldError;
import java.util.List;

/** An RFC 9457 problem detail, the body of every error under {@code /api}. */
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
