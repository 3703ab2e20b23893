package io.parley.store;

import java.security.SecureRandom;

/**
 * A room's row in the embedded store: its incarnation (a tag that every id of the room carries) and
 * the sequence number of its last message.
 */
record RoomState(String incarnation, long lastSeq) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A room that has had no message yet, under a new incarnation. */
  static RoomState fresh() {
    return new RoomState(newIncarnation(), 0);
  }

  static String newIncarnation() {
    StringBuilder tag = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      tag.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return tag.toString();
  }

  RoomState next() {
    return new RoomState(incarnation, lastSeq + 1);
  }

  EmbeddedId lastId() {
    return new EmbeddedId(incarnation, lastSeq);
  }
}
