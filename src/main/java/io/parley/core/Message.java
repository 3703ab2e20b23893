package io.parley.core;

import java.time.Instant;
import java.util.List;

/**
 * A chat message as it stands now. {@code id} is opaque to clients; within a room its order is the
 * room's order. {@code integration} is true when a system posted it with an API token, whose name
 * is then the author. {@code editedAt} is set once its author has changed its text; {@code
 * deletedAt} and {@code deletedBy} once it is deleted (a tombstone: its text is gone). {@code
 * mentions} are the nicks its text names with {@code @nick}.
 */
public record Message(
    String id,
    String room,
    String author,
    String text,
    Instant sentAt,
    boolean integration,
    Instant editedAt,
    Instant deletedAt,
    String deletedBy,
    List<String> mentions)
    implements Entry {

  public Message {
    mentions = mentions == null ? Mentions.in(text) : List.copyOf(mentions);
  }

  /** A message as posted. */
  public static Message posted(
      String id, String room, String author, String text, Instant sentAt, boolean integration) {
    return new Message(id, room, author, text, sentAt, integration, null, null, null, null);
  }

  /** This message with the text of an edit. */
  public Message edited(String newText, Instant at) {
    return new Message(id, room, author, newText, sentAt, integration, at, null, null, null);
  }

  /** This message's tombstone. */
  public Message deleted(String by, Instant at) {
    return new Message(id, room, author, "", sentAt, integration, editedAt, at, by, List.of());
  }

  /** Whether it has been deleted (it is a tombstone). */
  public boolean removed() {
    return deletedAt != null;
  }
}
