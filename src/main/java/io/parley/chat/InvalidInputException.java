package io.parley.chat;

import java.util.List;

/** A request that breaks the rules; answered with 400 and the field errors. */
public class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(errors.toString());
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String field, String message) {
    this(List.of(new FieldError(field, message, FieldError.INVALID)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
