package io.parley.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable, ordered log of every room's messages, bounded per room. Implementations are
 * thread-safe: concurrent appends to one room are put in one order by the log, and listeners hear
 * of them in that order.
 */
public interface MessageLog extends AutoCloseable {

  /**
   * Stores a message and gives it the next id of its room; {@code integration} marks a token's
   * post. With a {@code key} (may be null) that the poster used within its time, nothing is stored
   * and the first message comes back, whatever this one said; appends under one key that race each
   * other, on any node, store one message.
   */
  Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key);

  /** Stores a message without an idempotency key. */
  default Message append(
      String room, String author, String text, Instant sentAt, boolean integration) {
    return append(room, author, text, sentAt, integration, null).message();
  }

  /**
   * Appends an edit of message {@code target} (which the caller found in the room), as {@link
   * #append} does a message, and sets the message's text; an edit of a message deleted meanwhile is
   * stored withdrawn.
   */
  Appended edit(
      String room, String target, String author, String text, Instant at, IdempotencyKey key);

  /**
   * Appends the deletion of message {@code target} (which the caller found in the room), as {@link
   * #append} does a message: the message becomes a tombstone and its edits are withdrawn, their
   * texts gone from the store.
   */
  Appended delete(String room, String target, String by, Instant at, IdempotencyKey key);

  /**
   * The newest entries of a room, oldest first, as they stand now: from the first of its latest
   * {@code messages} messages that are not deleted to the newest entry (every entry of the room
   * when it has fewer).
   */
  List<Entry> latest(String room, int messages);

  /**
   * Up to {@code limit} entries that follow {@code id}, oldest first, as they stand now, or why
   * they cannot be told exactly: {@code MALFORMED} for anything that is not an id this store could
   * have made (the id comes straight from a client's header).
   */
  Resume after(String room, String id, int limit);

  /**
   * Up to {@code limit} entries that come before {@code id}, oldest first, as they stand now (for
   * scrolling back), or why not: {@code MALFORMED} for anything that is not an id this store could
   * have made, {@code UNKNOWN} for one of another incarnation of the room.
   */
  Resume before(String room, String id, int limit);

  /** One entry as it stands now; empty for an id the room does not keep, or a malformed one. */
  Optional<Entry> find(String room, String id);

  /**
   * Whether message {@code later} comes after message {@code earlier} in their room's order; false
   * also when the two cannot be ordered (not ids this log made, or of two incarnations of the
   * room).
   */
  boolean isAfter(String later, String earlier);

  /** The oldest entry a room still keeps. */
  Optional<String> oldestId(String room);

  /**
   * Rooms that have messages, by name: at most {@code limit} of those after {@code after} (null:
   * from the first).
   */
  List<RoomSummary> rooms(String after, int limit);

  /**
   * Sets who hears of appended messages. The embedded log tells it inside {@link #append}; a shared
   * log tells it of every node's appends to the rooms this node {@linkplain #follow follows}.
   */
  void onAppend(AppendListener listener);

  /**
   * Makes this node hear of the room's appends from now on. Called before a room's first stream
   * reads its catch-up, so nothing appended after that read can be missed.
   */
  void follow(String room);

  /**
   * This node no longer needs to hear of the room's appends (its last stream here is long gone).
   */
  void unfollow(String room);

  /** Whether the store answers now; cheap enough for a readiness probe. */
  boolean isAvailable();

  @Override
  void close();
}
