package io.parley.chat;

/**
 * Who sends a post: a person, whose author name is whatever they typed, or an integration that
 * showed one of the configured API tokens, whose name is then the author.
 */
public record Poster(String integration) {

  public static final Poster PERSON = new Poster(null);

  public static Poster integration(String name) {
    return new Poster(name);
  }

  public boolean isIntegration() {
    return integration != null;
  }
}
