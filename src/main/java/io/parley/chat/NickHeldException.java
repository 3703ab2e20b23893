package io.parley.chat;

/** A nick (or a look-alike of it) that a session holds, used without that session: 403. */
public class NickHeldException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NickHeldException(String nick) {
    super(
        "The nick "
            + nick
            + " is held by someone's session; sign in with it (POST /api/sessions) or choose"
            + " another.");
  }
}
