package io.parley.chat;

import java.util.List;

/**
 * Who sends a request: an integration that showed one of the configured API tokens (its name is the
 * author), a person signed in with a session or an identity provider's token (the nick it holds is
 * the author; {@code grants} are the room patterns the provider grants them: a name, or a prefix
 * and {@code *}), or a person without either, whose author name is whatever they typed if no
 * session holds it. A {@code moderator} (by a moderator's token, a session started with it, or
 * their identity provider's role) may delete any message and ban people from rooms.
 */
public record Poster(String integration, String signedIn, List<String> grants, boolean moderator) {

  public static final Poster PERSON = new Poster(null, null, List.of());

  public Poster(String integration, String signedIn, List<String> grants) {
    this(integration, signedIn, grants, false);
  }

  public static Poster integration(String name) {
    return new Poster(name, null, List.of());
  }

  /** A moderator who showed their token: signed in under their name. */
  public static Poster moderator(String name) {
    return new Poster(null, name, List.of(), true);
  }

  /** This person, made a moderator (by their session, or their identity provider's role claim). */
  public Poster asModerator() {
    return new Poster(integration, signedIn, grants, true);
  }

  /** Who made a change, as the log and the audit name them: the integration or the nick. */
  public String name() {
    return isIntegration() ? integration : signedIn;
  }

  /** An integration whose token is limited to {@code rooms} (none: every room). */
  public static Poster integration(String name, List<String> rooms) {
    return new Poster(name, null, List.copyOf(rooms));
  }

  public static Poster signedIn(String nick) {
    return new Poster(null, nick, List.of());
  }

  /** A user an identity provider signed in, with the rooms it grants them. */
  public static Poster provided(String nick, List<String> grants) {
    return new Poster(null, nick, List.copyOf(grants));
  }

  public boolean isIntegration() {
    return integration != null;
  }

  public boolean isSignedIn() {
    return signedIn != null;
  }

  /** Whether the provider granted this room (by name, or by a {@code prefix*} pattern). */
  public boolean granted(String room) {
    return grants.stream()
        .anyMatch(
            pattern ->
                pattern.endsWith("*")
                    ? room.startsWith(pattern.substring(0, pattern.length() - 1))
                    : pattern.equals(room));
  }
}
