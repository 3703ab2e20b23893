package io.parley.chat;

import io.parley.core.Resume;

/** A history request asked for what follows a message the room does not keep (any more). */
public class HistoryGoneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Resume.Reason reason;

  public HistoryGoneException(String id, Resume.Reason reason) {
    super(
        switch (reason) {
          case MALFORMED -> "'" + id + "' is not a message id";
          case UNKNOWN -> "message " + id + " is not part of this room's history";
          case EXPIRED -> "message " + id + " is older than the history this room keeps";
        });
    this.reason = reason;
  }

  public Resume.Reason reason() {
    return reason;
  }
}
