package io.parley.store;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of a message in the embedded store: the room's incarnation (a random tag made when the
 * room is first written, so that ids from a wiped data folder are not mistaken for new ones) and
 * the message's sequence number in the room.
 */
record EmbeddedId(String incarnation, long seq) {

  private static final Pattern FORMAT = Pattern.compile("([a-z0-9]{1,16})-([1-9][0-9]{0,17})");

  static Optional<EmbeddedId> parse(String id) {
    Matcher matcher = FORMAT.matcher(id == null ? "" : id);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    return Optional.of(new EmbeddedId(matcher.group(1), Long.parseLong(matcher.group(2))));
  }

  @Override
  public String toString() {
    return incarnation + "-" + seq;
  }
}
