package io.parley.chat;

import io.parley.core.MessageLog;
import io.parley.core.PrivateRoomStore;
import io.parley.core.PrivateRoomStore.PrivateRoom;
import io.parley.core.Repeating;
import io.parley.core.RoomDirectory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Who may use which room. Public rooms are everyone's. A private room exists only for its members
 * (its owner among them, those who showed its invite, those its owner added, and users an identity
 * provider grants it) and for integrations: anyone else is told there is no such room (404), for
 * its history, its messages, its stream, posts to it and the list of rooms. A member the owner
 * removes has their streams in the room ended; every few seconds each node also ends the streams of
 * nicks that are no longer members (removed on another node). Invite secrets come from {@link
 * SecureRandom}, are kept only as SHA-256 digests and compared in constant time. Thread-safe.
 */
@ApplicationScoped
public class RoomAccess {

  /** What every invite secret starts with. */
  public static final String INVITE_PREFIX = "pi_";

  /** How often each node checks that its streams in private rooms are still members'. */
  static final long SWEEP_MILLIS = 3000;

  /** The reason of the shutdown that ends a removed member's stream. */
  public static final String REMOVED = "removed";

  /** A private room as its owner sees it on creation or renewal. */
  public record Invitation(String name, String owner, String invite) {}

  private final PrivateRoomStore rooms;
  private final MessageLog log;
  private final RoomDirectory directory;
  private final MessageRules rules;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService sweeper;

  /**
   * The private rooms' names as last read: what tells a public room from a private one while the
   * store does not answer (null until read once: then no room is taken for public).
   */
  private volatile Set<String> knownPrivate;

  @Inject
  public RoomAccess(
      PrivateRoomStore rooms, MessageLog log, RoomDirectory directory, MessageRules rules) {
    this.rooms = rooms;
    this.log = log;
    this.directory = directory;
    this.rules = rules;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "parley-room-access");
              thread.setDaemon(true);
              return thread;
            });
    try {
      this.knownPrivate = Set.copyOf(rooms.names());
    } catch (RuntimeException storeFailed) {
      this.knownPrivate = null; // read by the first sweep the store answers
    }
    Repeating.every(sweeper, SWEEP_MILLIS, "ending removed members' streams", this::sweep);
  }

  /** For the CDI proxy only. */
  protected RoomAccess() {
    this.rooms = null;
    this.log = null;
    this.directory = null;
    this.rules = null;
    this.sweeper = null;
  }

  /**
   * Throws a 404 {@link RoomAccessException} unless {@code poster} may use the room; a 403 for an
   * integration whose token is limited to other rooms, if the room is public.
   */
  public void requireVisible(String room, Poster poster) {
    if (!visible(room, poster)) {
      throw RoomAccessException.noSuchRoom(room);
    }
    if (outOfScope(room, poster)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NOT_IN_TOKEN_SCOPE,
          "The token of " + poster.integration() + " is not for the room " + room + ".");
    }
  }

  /** An integration whose token is limited to rooms that do not include this one. */
  private static boolean outOfScope(String room, Poster poster) {
    return poster.isIntegration() && !poster.grants().isEmpty() && !poster.granted(room);
  }

  /**
   * Whether {@code poster} may use the room. While the store does not answer, a room not known to
   * be private is public (streams in public rooms go on through an outage), and a private one is
   * refused with the store's failure.
   */
  public boolean visible(String room, Poster poster) {
    boolean isPrivate;
    try {
      isPrivate = rooms.find(room).isPresent();
    } catch (RuntimeException storeFailed) {
      Set<String> known = knownPrivate;
      if (known != null && !known.contains(room)) {
        return true;
      }
      throw storeFailed;
    }
    return !isPrivate || mayUse(room, poster);
  }

  /** The private rooms {@code poster} may not see, to leave out of lists. */
  public Set<String> hiddenFrom(Poster poster) {
    if (poster.isIntegration() && poster.grants().isEmpty()) {
      return Set.of();
    }
    Set<String> hidden = new java.util.HashSet<>();
    for (String room : rooms.names()) {
      if (!mayUse(room, poster)) {
        hidden.add(room);
      }
    }
    return hidden;
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
    String invite = newInvite();
    String owner = poster.signedIn();
    String ownerKey = Names.skeleton(owner);
    if (!rooms.create(new PrivateRoom(room, owner, digest(invite)), ownerKey)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NAME_TAKEN, "The room " + room + " exists already.");
    }
    Set<String> known = knownPrivate;
    if (known != null) {
      Set<String> more = new java.util.HashSet<>(known);
      more.add(room);
      knownPrivate = Set.copyOf(more);
    }
    // Whoever listened to the name before it was private hears nothing of it from now on.
    directory.endStreamsIn(room, access -> gone(access, Map.of(ownerKey, owner)), REMOVED);
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
                digest(invite).getBytes(StandardCharsets.US_ASCII),
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
    directory.endStreamsIn(
        room, access -> access != null && Names.skeleton(access).equals(key), REMOVED);
  }

  /** A new invite secret for the room; the old one no longer lets anyone in. */
  public Invitation renewInvite(String room, Poster poster) {
    PrivateRoom found = requireOwner(room, poster);
    String invite = newInvite();
    rooms.renewInvite(room, digest(invite));
    return new Invitation(room, found.owner(), invite);
  }

  /** A user the identity provider grants the room becomes a member on first use. */
  private boolean mayUse(String room, Poster poster) {
    if (poster.isIntegration()) {
      return !outOfScope(room, poster);
    }
    if (!poster.isSignedIn()) {
      return false;
    }
    String key = Names.skeleton(poster.signedIn());
    if (rooms.isMember(room, key)) {
      return true;
    }
    if (poster.granted(room)) {
      rooms.addMember(room, key, poster.signedIn());
      return true;
    }
    return false;
  }

  /** Whether a stream that uses a private room as {@code access} may no longer be there. */
  private static boolean gone(String access, Map<String, String> members) {
    return access == null
        || (!access.equals(RoomDirectory.INTEGRATION_ACCESS)
            && !members.containsKey(Names.skeleton(access)));
  }

  private PrivateRoom visibleRoom(String room, Poster poster) {
    ChatService.requireRoom(room);
    PrivateRoom found = rooms.find(room).orElseThrow(() -> RoomAccessException.noSuchRoom(room));
    if (!mayUse(room, poster)) {
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

  /**
   * Ends this node's streams in private rooms that are not members' any more (removed on another
   * node, or made private there).
   */
  private void sweep() {
    Set<String> privateRooms;
    try {
      privateRooms = Set.copyOf(rooms.names());
    } catch (RuntimeException storeFailed) {
      return; // the store says so itself; the next sweep tries again
    }
    knownPrivate = privateRooms;
    for (String held : directory.heldRooms().keySet()) {
      if (privateRooms.contains(held)) {
        Map<String, String> members;
        try {
          members = rooms.members(held);
        } catch (RuntimeException storeFailed) {
          return;
        }
        directory.endStreamsIn(held, access -> gone(access, members), REMOVED);
      }
    }
  }

  private String newInvite() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return INVITE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String digest(String secret) {
    return HexFormat.of().formatHex(Sessions.sha256(secret));
  }

  @PreDestroy
  void stop() {
    sweeper.shutdownNow();
  }
}
