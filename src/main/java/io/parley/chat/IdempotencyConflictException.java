package io.parley.chat;

import io.parley.core.Entry;

/**
 * An {@code Idempotency-Key} used again by its poster for a request that differs from the first;
 * answered 422.
 */
public class IdempotencyConflictException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The key's first use appended {@code first} (null: it was not a log append, as a ban). */
  public IdempotencyConflictException(String key, Entry first) {
    super(
        "Idempotency-Key "
            + key
            + " was used for another request"
            + (first == null ? "" : " (entry " + first.id() + " in room " + first.room() + ")")
            + "; use a new key for a new request");
  }
}
