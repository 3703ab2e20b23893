package io.parley.core;

import java.time.Instant;

/**
 * A message's new text, by its author: {@code target} is the message's id. {@code withdrawn} when
 * the message has been deleted since: the edit keeps its place in the log, but its text is gone.
 */
public record Edit(
    String id,
    String room,
    String target,
    String author,
    String text,
    Instant editedAt,
    boolean withdrawn)
    implements Entry {

  /** The edit as it stands once its message is deleted: in its place, with no text. */
  public Edit withdraw() {
    return new Edit(id, room, target, author, "", editedAt, true);
  }
}
