package io.parley.chat;

import io.parley.core.Message;

/**
 * An {@code Idempotency-Key} used again by its poster for a post that differs from the first;
 * answered 422.
 */
public class IdempotencyConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IdempotencyConflictException(String key, Message first) {
    super(
        "Idempotency-Key "
            + key
            + " was used for another post (message "
            + first.id()
            + " in room "
            + first.room()
            + "); use a new key for a new post");
  }
}
