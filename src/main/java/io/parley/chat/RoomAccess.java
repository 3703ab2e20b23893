package io.parley.chat;

import io.parley.core.PrivateRoomStore;
import io.parley.core.Repeating;
import io.parley.core.RoomDirectory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

  /** How often each node checks that its streams in private rooms are still members'. */
  static final long SWEEP_MILLIS = 3000;

  /** The reason of the shutdown that ends a removed member's stream. */
  public static final String REMOVED = "removed";

  private final PrivateRoomStore rooms;
  private final RoomDirectory directory;
  private final ScheduledExecutorService sweeper;

  /**
   * The private rooms' names as last read: what tells a public room from a private one while the
   * store does not answer (null until read once: then no room is taken for public).
   */
  private volatile Set<String> knownPrivate;

  @Inject
  public RoomAccess(PrivateRoomStore rooms, RoomDirectory directory) {
    this.rooms = rooms;
    this.directory = directory;
    this.sweeper = Repeating.daemon("parley-room-access");
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
    this.directory = null;
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
    Set<String> hidden = new HashSet<>();
    for (String room : rooms.names()) {
      if (!mayUse(room, poster)) {
        hidden.add(room);
      }
    }
    return hidden;
  }

  /**
   * The room was made private, owned by {@code owner}: it is known private from now on, and whoever
   * listened to the name before hears nothing of it any more.
   */
  void madePrivate(String room, String ownerKey, String owner) {
    Set<String> known = knownPrivate;
    if (known != null) {
      Set<String> more = new HashSet<>(known);
      more.add(room);
      knownPrivate = Set.copyOf(more);
    }
    directory.endStreamsIn(room, access -> gone(access, Map.of(ownerKey, owner)), REMOVED);
  }

  /** The member whose nick key is {@code key} left the room: this node's streams of theirs end. */
  void ended(String key, String room) {
    directory.endStreamsIn(
        room, access -> access != null && Names.skeleton(access).equals(key), REMOVED);
  }

  /** A user the identity provider grants the room becomes a member on first use. */
  boolean mayUse(String room, Poster poster) {
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

  @PreDestroy
  void stop() {
    sweeper.shutdownNow();
  }
}
