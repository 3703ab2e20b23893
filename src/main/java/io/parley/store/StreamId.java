package io.parley.store;

import java.util.Optional;
import java.util.regex.Pattern;

/** A Redis stream entry id, {@code <milliseconds>-<sequence>}: the ids of cluster mode, ordered. */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

  private static final Pattern FORM = Pattern.compile("\\d{1,19}-\\d{1,19}");

  static final StreamId ZERO = new StreamId(0, 0);

  /** The id, or empty for anything Redis could not have made. */
  static Optional<StreamId> parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      return Optional.empty();
    }
    int dash = text.indexOf('-');
    try {
      return Optional.of(
          new StreamId(
              Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public int compareTo(StreamId other) {
    int byMillis = Long.compareUnsigned(millis, other.millis);
    return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
  }

  @Override
  public String toString() {
    return millis + "-" + sequence;
  }
}
