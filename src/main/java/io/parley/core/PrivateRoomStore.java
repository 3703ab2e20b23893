package io.parley.core;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where private rooms are kept: each with its owner, the digest of its invite secret (never the
 * secret) and its members, by nick key (how names compare), the owner among them. Shared by every
 * node that shares the store. Implementations are thread-safe.
 */
public interface PrivateRoomStore {

  /** A private room as kept. */
  record PrivateRoom(String name, String owner, String inviteDigest) {}

  /**
   * Makes the room private, owned by {@code owner} (whose nick key is {@code ownerKey}, its first
   * member), unless it is private already (then false, and nothing changes).
   */
  boolean create(PrivateRoom room, String ownerKey);

  Optional<PrivateRoom> find(String room);

  /** The names of every private room. */
  Set<String> names();

  /** The room's members, nick key to nick; empty for a room that is not private. */
  Map<String, String> members(String room);

  boolean isMember(String room, String nickKey);

  void addMember(String room, String nickKey, String nick);

  /** False if there was no such member. */
  boolean removeMember(String room, String nickKey);

  /** Replaces the room's invite secret (the old one no longer lets anyone in). */
  void renewInvite(String room, String inviteDigest);
}
