package io.parley.chat;

/**
 * A request about a room that its caller may not make: the room is private and they are not a
 * member (404, so its existence is not told), it needs them signed in (401), only its owner may
 * (403), or the name is taken (409); or about a message: there is none (404), only its author may
 * change it (403), and only within the edit window (403), only moderators may (403), or they are
 * banned from the room ({@link BannedException}).
 */
public class RoomAccessException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why; each has its status and problem type. */
  public enum Refusal {
    NO_SUCH_ROOM(404, "no-such-room"),
    SIGN_IN_NEEDED(401, "sign-in-needed"),
    OWNER_ONLY(403, "owner-only"),
    NOT_IN_TOKEN_SCOPE(403, "token-not-for-room"),
    NAME_TAKEN(409, "room-name-taken"),
    NO_SUCH_MESSAGE(404, "no-such-message"),
    NOT_AUTHOR(403, "not-author"),
    EDIT_WINDOW_CLOSED(403, "edit-window-closed"),
    MODERATORS_ONLY(403, "moderators-only"),
    BANNED(403, "banned");

    private final int status;
    private final String label;

    Refusal(int status, String label) {
      this.status = status;
      this.label = label;
    }

    public int status() {
      return status;
    }

    public String label() {
      return label;
    }
  }

  private final Refusal refusal;

  public RoomAccessException(Refusal refusal, String detail) {
    super(detail);
    this.refusal = refusal;
  }

  public Refusal refusal() {
    return refusal;
  }

  static RoomAccessException noSuchRoom(String room) {
    return new RoomAccessException(Refusal.NO_SUCH_ROOM, "There is no room " + room + ".");
  }
}
