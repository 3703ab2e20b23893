package io.parley.api;

/** A request body that cannot be read as what the endpoint expects; answered with 400. */
public class MalformedBodyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedBodyException(String message) {
    super(message);
  }
}
