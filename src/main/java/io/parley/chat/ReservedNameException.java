package io.parley.chat;

/** A person tried to post or appear under an integration's name; answered with 403. */
public class ReservedNameException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ReservedNameException(String name) {
    super("The name " + name + " belongs to an integration; only its token can post under it.");
  }
}
