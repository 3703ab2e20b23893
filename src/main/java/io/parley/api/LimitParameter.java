package io.parley.api;

import io.parley.chat.InvalidInputException;

/**
 * A {@code limit} query parameter: its default when absent, a 400 naming the range when not a whole
 * number.
 */
final class LimitParameter {

  private LimitParameter() {}

  /** The number given, or {@code absent}; the caller checks the range (1 to {@code max}). */
  static int parse(String limit, int absent, int max) {
    if (limit == null) {
      return absent;
    }
    try {
      return Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("limit", "must be a whole number between 1 and " + max);
    }
  }
}
