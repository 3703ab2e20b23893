package io.parley.store;

import io.lettuce.core.ScriptOutputType;
import io.parley.core.BanStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bans in Redis: one hash per room ({@link Redis#bansKey}), nick key to {@code
 * <until>|<by>|<nick>}, and the set of rooms that have one ({@link Redis#bannedRoomsKey}). Ended
 * bans are ignored by every read and removed by the next ban or lift in their room (and the room
 * from the set once none is left).
 *
 * <p>A room with a ban in its hash is always in the set, whatever nodes ban and lift at once: a ban
 * writes the hash before the set, and a room leaves the set only by a script that finds its hash
 * empty, so a ban made meanwhile either keeps the room (its hash is not empty) or adds it again; an
 * ended ban is dropped only if it is still the one read, so a ban renewed meanwhile stays.
 */
public final class RedisBans implements BanStore {

  /** Drops the ban of a nick key (ARGV[1]) from the hash (KEYS[1]) if it is still ARGV[2]. */
  private static final String DROP_IF_SAME =
      "if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then"
          + " return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0";

  /** Takes the room (ARGV[1]) out of the set (KEYS[2]) if its hash (KEYS[1]) holds no ban. */
  private static final String FORGET_IF_EMPTY =
      "if redis.call('HLEN', KEYS[1]) == 0 then return redis.call('SREM', KEYS[2], ARGV[1]) end"
          + " return 0";

  private final Redis redis;

  public RedisBans(Redis redis) {
    this.redis = redis;
  }

  @Override
  public void ban(Ban ban) {
    redis.call(
        "ban a nick",
        c -> {
          c.hset(
              redis.bansKey(ban.room()),
              ban.nickKey(),
              ban.until() + "|" + ban.by() + "|" + ban.nick());
          c.sadd(redis.bannedRoomsKey(), ban.room());
          clearEnded(c, ban.room(), Instant.now());
          return null;
        });
  }

  @Override
  public boolean lift(String room, String nickKey, Instant now) {
    return redis.call(
        "lift a ban",
        c -> {
          boolean inForce =
              find(c.hget(redis.bansKey(room), nickKey), room, nickKey, now).isPresent();
          c.hdel(redis.bansKey(room), nickKey);
          clearEnded(c, room, now);
          return inForce;
        });
  }

  @Override
  public Optional<Ban> find(String room, String nickKey, Instant now) {
    return find(
        redis.call("read a ban", c -> c.hget(redis.bansKey(room), nickKey)), room, nickKey, now);
  }

  @Override
  public List<Ban> bans(String room, Instant now) {
    return inForce(room, redis.call("read bans", c -> c.hgetall(redis.bansKey(room))), now);
  }

  @Override
  public List<Ban> all(Instant now) {
    return redis.call(
        "read bans",
        c -> {
          List<Ban> all = new ArrayList<>();
          for (String room : c.smembers(redis.bannedRoomsKey())) {
            all.addAll(inForce(room, c.hgetall(redis.bansKey(room)), now));
          }
          return all;
        });
  }

  private void clearEnded(
      io.lettuce.core.api.sync.RedisCommands<String, String> c, String room, Instant now) {
    Map<String, String> all = c.hgetall(redis.bansKey(room));
    for (Map.Entry<String, String> ban : all.entrySet()) {
      if (find(ban.getValue(), room, ban.getKey(), now).isEmpty()) {
        // Only this ban, and only if it is still this one (not renewed by another node meanwhile).
        c.eval(
            DROP_IF_SAME,
            ScriptOutputType.INTEGER,
            new String[] {redis.bansKey(room)},
            ban.getKey(),
            ban.getValue());
      }
    }
    c.eval(
        FORGET_IF_EMPTY,
        ScriptOutputType.INTEGER,
        new String[] {redis.bansKey(room), redis.bannedRoomsKey()},
        room);
  }

  private static List<Ban> inForce(String room, Map<String, String> bans, Instant now) {
    List<Ban> found = new ArrayList<>();
    bans.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(ban -> find(ban.getValue(), room, ban.getKey(), now).ifPresent(found::add));
    return found;
  }

  private static Optional<Ban> find(String value, String room, String nickKey, Instant now) {
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split("\\|", 3);
    Instant until = Instant.parse(parts[0]);
    return until.isAfter(now)
        ? Optional.of(new Ban(room, nickKey, parts[2], until, parts[1]))
        : Optional.empty();
  }
}
