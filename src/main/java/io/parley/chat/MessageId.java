package io.parley.chat;

import java.util.regex.Pattern;

/** The shape every message id has, whatever store made it: URL-safe characters, at most 64. */
public final class MessageId {

  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  private MessageId() {}

  public static boolean isWellFormed(String id) {
    return id != null && WELL_FORMED.matcher(id).matches();
  }
}
