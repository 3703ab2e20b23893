package io.parley.store;

import io.lettuce.core.ScriptOutputType;
import io.parley.core.PrivateRoomStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Private rooms in Redis, shared by every node: a hash per room ({@code private:<room>}: owner and
 * invite digest), a hash of its members ({@code members:<room>}: nick key to nick) and the set of
 * private rooms' names ({@code private-rooms}). Making a room is one script, so two nodes making
 * the same room keep one. Thread-safe.
 */
public final class RedisPrivateRooms implements PrivateRoomStore {

  /** KEYS: the room's hash, its members, the set of names. ARGV: name, owner, invite, owner key. */
  private static final String CREATE =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'invite', ARGV[3])
      redis.call('HSET', KEYS[2], ARGV[4], ARGV[2])
      redis.call('SADD', KEYS[3], ARGV[1])
      return 1
      """;

  private final Redis redis;

  public RedisPrivateRooms(Redis redis) {
    this.redis = redis;
  }

  @Override
  public boolean create(PrivateRoom room, String ownerKey) {
    Long made =
        redis.call(
            "make a private room",
            commands ->
                commands.eval(
                    CREATE,
                    ScriptOutputType.INTEGER,
                    new String[] {
                      redis.privateRoomKey(room.name()),
                      redis.membersKey(room.name()),
                      redis.privateRoomsKey()
                    },
                    room.name(),
                    room.owner(),
                    room.inviteDigest(),
                    ownerKey));
    return made != null && made == 1;
  }

  @Override
  public Optional<PrivateRoom> find(String room) {
    Map<String, String> fields =
        redis.call("read a private room", c -> c.hgetall(redis.privateRoomKey(room)));
    return fields == null || fields.isEmpty()
        ? Optional.empty()
        : Optional.of(new PrivateRoom(room, fields.get("owner"), fields.get("invite")));
  }

  @Override
  public Set<String> names() {
    return redis.call("list private rooms", c -> c.smembers(redis.privateRoomsKey()));
  }

  @Override
  public Map<String, String> members(String room) {
    Map<String, String> members =
        redis.call("list a room's members", c -> c.hgetall(redis.membersKey(room)));
    return new TreeMap<>(members);
  }

  @Override
  public boolean isMember(String room, String nickKey) {
    return redis.call("read a room's member", c -> c.hexists(redis.membersKey(room), nickKey));
  }

  @Override
  public void addMember(String room, String nickKey, String nick) {
    Boolean unused =
        redis.call("add a room's member", c -> c.hset(redis.membersKey(room), nickKey, nick));
  }

  @Override
  public boolean removeMember(String room, String nickKey) {
    return redis.call("remove a room's member", c -> c.hdel(redis.membersKey(room), nickKey)) > 0;
  }

  @Override
  public void renewInvite(String room, String inviteDigest) {
    Boolean unused =
        redis.call(
            "renew a room's invite",
            c -> c.hset(redis.privateRoomKey(room), "invite", inviteDigest));
  }
}
