package io.parley.chat;

import java.util.regex.Pattern;

/** The rule every room name follows. */
public final class RoomName {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private RoomName() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
