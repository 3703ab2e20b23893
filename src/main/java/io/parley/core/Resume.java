package io.parley.core;

import java.util.List;

/** What follows a given log id: the exact continuation, or the reason there is none. */
public sealed interface Resume {

  /** Retained entries after the id, in order, as they stand now. */
  record Continue(List<? extends Entry> entries) implements Resume {}

  /** The id cannot be resumed from; the client has to start over. */
  record Reset(Reason reason) implements Resume {}

  enum Reason {
    /** Not an id this store could have made. */
    MALFORMED,
    /** Well formed, but never part of this room's history (or from an earlier, wiped store). */
    UNKNOWN,
    /** Once part of the history, now older than what the room keeps. */
    EXPIRED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
