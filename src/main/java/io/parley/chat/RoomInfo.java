package io.parley.chat;

/**
 * A room as {@code GET /api/rooms} lists it. With {@code unreadAfter}, {@code unread} is how many
 * messages follow the one the caller last read (at most {@value History#UNREAD_CAP}: more than
 * {@value History#UNREAD_SHOWN}), and {@code mentioned} whether one of them names the caller; both
 * are null (left out) otherwise.
 */
public record RoomInfo(
    String name, int online, String lastMessageId, Integer unread, Boolean mentioned) {

  /** A room as the plain list shows it. */
  public static RoomInfo listed(String name, int online, String lastMessageId) {
    return new RoomInfo(name, online, lastMessageId, null, null);
  }
}
