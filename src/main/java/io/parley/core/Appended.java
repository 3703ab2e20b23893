package io.parley.core;

/**
 * What an append did: stored the entry, or ({@code replayed}) found the one stored under the same
 * idempotency key.
 */
public record Appended(Entry entry, boolean replayed) {

  /** The entry, for an append of a message. */
  public Message message() {
    return (Message) entry;
  }
}
