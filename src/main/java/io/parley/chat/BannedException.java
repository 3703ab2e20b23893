package io.parley.chat;

import java.time.Instant;

/** The person is banned from the room until {@link #until} (403, with Retry-After). */
public class BannedException extends RoomAccessException {

  private static final long serialVersionUID = 1L;

  private final transient Instant until;

  public BannedException(String nick, String room, Instant until) {
    super(
        Refusal.BANNED,
        nick
            + " is banned from the room "
            + room
            + " until "
            + until
            + " ("
            + secondsLeft(until)
            + " s from now).");
    this.until = until;
  }

  public Instant until() {
    return until;
  }

  /** Whole seconds until the ban ends, at least 1. */
  public static long secondsLeft(Instant until) {
    long millis = until.toEpochMilli() - System.currentTimeMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}
