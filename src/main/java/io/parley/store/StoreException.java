package io.parley.store;

/**
 * The store could not do what was asked; nothing the client sent is at fault (answered with 503).
 */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
