package io.parley.chat;

import io.parley.core.MessageLog;
import io.parley.core.PrivateRoomStore;
import io.parley.core.PrivateRoomStore.PrivateRoom;
import io.parley.core.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Private rooms: made by a signed-in person, who owns the room; joined with its invite; the owner
 * lists, adds and removes members and renews the invite (a member may leave). Who may use a room is
 * {@link RoomAccess}'s. Invite secrets come from {@link Secrets} (SecureRandom), are kept only as
 * SHA-256 digests and compared in constant time. Thread-safe.
 */
@ApplicationScoped
public class PrivateRooms {

  /** What every invite secret starts with. */
  public static final String INVITE_PREFIX = "pi_";

  private static final int INVITE_BYTES = 24;

  /** A private room as its owner sees it on creation or renewal. */
  public record Invitation(String name, String owner, String invite) {}

  private final PrivateRoomStore rooms;
  private final RoomAccess access;
  private final MessageLog log;
  private final MessageRules rules;

  @Inject
  public PrivateRooms(
      PrivateRoomStore rooms, RoomAccess access, MessageLog log, MessageRules rules) {
    this.rooms = rooms;
    this.access = access;
    this.log = log;
    this.rules = rules;
  }

  /** For the CDI proxy only. */
  protected PrivateRooms() {
    this(null, null, null, null);
  }

  /**
   * Makes a private room owned by the signed-in {@code poster}; 409 if the name is a private room
   * already or a public room with messages.
   */
  public Invitation create(String room, Poster poster) {
    ChatService.requireRoom(room);
    requireSignedIn(poster, "Making a private room");
    if (!log.latest(room, 1).isEmpty()) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NAME_TAKEN, "A public room " + room + " exists already.");
    }
    String invite = Secrets.newSecret(INVITE_PREFIX, INVITE_BYTES);
    String owner = poster.signedIn();
    String ownerKey = Names.skeleton(owner);
    if (!rooms.create(new PrivateRoom(room, owner, Secrets.sha256Hex(invite)), ownerKey)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NAME_TAKEN, "The room " + room + " exists already.");
    }
    access.madePrivate(room, ownerKey, owner);
    return new Invitation(room, owner, invite);
  }

  /** The signed-in {@code poster} joins with the room's invite; a wrong one is 404. */
  public void join(String room, String invite, Poster poster) {
    ChatService.requireRoom(room);
    requireSignedIn(poster, "Joining a private room");
    PrivateRoom found = rooms.find(room).orElseThrow(() -> RoomAccessException.noSuchRoom(room));
    boolean right =
        invite != null
            && MessageDigest.isEqual(
                Secrets.sha256Hex(invite).getBytes(StandardCharsets.US_ASCII),
                found.inviteDigest().getBytes(StandardCharsets.US_ASCII));
    if (!right) {
      throw RoomAccessException.noSuchRoom(room);
    }
    rooms.addMember(room, Names.skeleton(poster.signedIn()), poster.signedIn());
  }

  /** The room's members' nicks, to its owner. */
  public List<String> members(String room, Poster poster) {
    requireOwner(room, poster);
    return List.copyOf(rooms.members(room).values());
  }

  /** The owner adds someone by nick (normalised as names are). */
  public void add(String room, String nick, Poster poster) {
    requireOwner(room, poster);
    String normalized = rules.checkNick(nick);
    rooms.addMember(room, Names.skeleton(normalized), normalized);
  }

  /**
   * The owner removes a member (or a member leaves); their streams in the room end. The owner
   * cannot be removed.
   */
  public void remove(String room, String nick, Poster poster) {
    PrivateRoom found = visibleRoom(room, poster);
    String key = Names.skeleton(nick);
    boolean self = poster.isSignedIn() && Names.skeleton(poster.signedIn()).equals(key);
    if (!self && !isOwner(found, poster)) {
      throw ownerOnly(room);
    }
    if (Names.skeleton(found.owner()).equals(key)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.OWNER_ONLY, "The owner of " + room + " stays its member.");
    }
    String removed = rooms.members(room).get(key);
    if (removed == null || !rooms.removeMember(room, key)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NO_SUCH_ROOM, nick + " is not a member of " + room + ".");
    }
    access.ended(key, room);
  }

  /** A new invite secret for the room; the old one no longer lets anyone in. */
  public Invitation renewInvite(String room, Poster poster) {
    PrivateRoom found = requireOwner(room, poster);
    String invite = Secrets.newSecret(INVITE_PREFIX, INVITE_BYTES);
    rooms.renewInvite(room, Secrets.sha256Hex(invite));
    return new Invitation(room, found.owner(), invite);
  }

  private PrivateRoom visibleRoom(String room, Poster poster) {
    ChatService.requireRoom(room);
    PrivateRoom found = rooms.find(room).orElseThrow(() -> RoomAccessException.noSuchRoom(room));
    if (!access.mayUse(room, poster)) {
      throw RoomAccessException.noSuchRoom(room);
    }
    return found;
  }

  private PrivateRoom requireOwner(String room, Poster poster) {
    PrivateRoom found = visibleRoom(room, poster);
    if (!isOwner(found, poster)) {
      throw ownerOnly(room);
    }
    return found;
  }

  private static boolean isOwner(PrivateRoom room, Poster poster) {
    return poster.isSignedIn()
        && Names.skeleton(poster.signedIn()).equals(Names.skeleton(room.owner()));
  }

  private static RoomAccessException ownerOnly(String room) {
    return new RoomAccessException(
        RoomAccessException.Refusal.OWNER_ONLY, "Only the owner of " + room + " may do that.");
  }

  private static void requireSignedIn(Poster poster, String what) {
    if (!poster.isSignedIn()) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.SIGN_IN_NEEDED,
          what + " needs a session (POST /api/sessions) or a sign-in token.");
    }
  }
}
