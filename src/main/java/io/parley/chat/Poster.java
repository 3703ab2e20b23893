package io.parley.chat;

/**
 * Who sends a post: an integration that showed one of the configured API tokens (its name is the
 * author), a person signed in with a session (the nick it holds is the author), or a person without
 * one, whose author name is whatever they typed if no session holds it.
 */
public record Poster(String integration, String signedIn) {

  public static final Poster PERSON = new Poster(null, null);

  public static Poster integration(String name) {
    return new Poster(name, null);
  }

  public static Poster signedIn(String nick) {
    return new Poster(null, nick);
  }

  public boolean isIntegration() {
    return integration != null;
  }

  public boolean isSignedIn() {
    return signedIn != null;
  }
}
