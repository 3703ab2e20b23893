package io.parley.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The nicks a text names with {@code @nick}, in order of first mention, each once. */
public final class Mentions {

  /**
   * An {@code @} that does not follow a letter or digit (so not an e-mail address), then a nick's
   * letters, digits, marks and {@code . _ -}, not ending in punctuation.
   */
  private static final Pattern MENTION =
      Pattern.compile(
          "(?<![\\p{L}\\p{N}_.@-])@([\\p{L}\\p{N}\\p{M}_](?:[\\p{L}\\p{N}\\p{M}_.-]{0,31}))");

  private Mentions() {}

  public static List<String> in(String text) {
    if (text == null || text.indexOf('@') < 0) {
      return List.of();
    }
    List<String> nicks = new ArrayList<>();
    Matcher matcher = MENTION.matcher(text);
    while (matcher.find()) {
      String nick = matcher.group(1).replaceAll("[.-]+$", "");
      if (!nick.isEmpty() && !nicks.contains(nick)) {
        nicks.add(nick);
      }
    }
    return List.copyOf(nicks);
  }
}
