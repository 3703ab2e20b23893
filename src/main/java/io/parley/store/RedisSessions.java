package io.parley.store;

import io.lettuce.core.ScriptOutputType;
import io.parley.core.SessionStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions in Redis, shared by every node: a hash per session ({@code session:<digest>}: its nick,
 * nick key and expiry) and the key {@code nick:<nick key>} naming the session that holds the nick,
 * both expiring with the session (Redis deletes them itself). Each change is one script, so two
 * nodes starting sessions for one nick keep one. Thread-safe.
 */
public final class RedisSessions implements SessionStore {

  /**
   * KEYS: the nick's key, the session's. ARGV: digest, nick, nick key, expiry, the session keys'
   * prefix, now (times in epoch ms). A holder that has expired by {@code now} (and that Redis has
   * not deleted yet) gives the nick up.
   */
  private static final String START =
      """
      local held = redis.call('GET', KEYS[1])
      if held then
        local ends = redis.call('HGET', ARGV[5] .. held, 'expiresAt')
        if ends and tonumber(ends) > tonumber(ARGV[6]) then return 0 end
        redis.call('DEL', ARGV[5] .. held)
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[4])
      redis.call('HSET', KEYS[2], 'nick', ARGV[2], 'nickKey', ARGV[3], 'expiresAt', ARGV[4])
      redis.call('PEXPIREAT', KEYS[2], ARGV[4])
      return 1
      """;

  /**
   * KEYS: the session's key. ARGV: the nick keys' prefix, the digest, the new expiry (epoch ms).
   */
  private static final String RENEW =
      """
      local nickKey = redis.call('HGET', KEYS[1], 'nickKey')
      if not nickKey then return 0 end
      redis.call('HSET', KEYS[1], 'expiresAt', ARGV[3])
      redis.call('PEXPIREAT', KEYS[1], ARGV[3])
      local held = ARGV[1] .. nickKey
      if redis.call('GET', held) == ARGV[2] then redis.call('PEXPIREAT', held, ARGV[3]) end
      return 1
      """;

  /** KEYS: the session's key. ARGV: the nick keys' prefix, the digest. */
  private static final String END =
      """
      local nickKey = redis.call('HGET', KEYS[1], 'nickKey')
      if nickKey then
        local held = ARGV[1] .. nickKey
        if redis.call('GET', held) == ARGV[2] then redis.call('DEL', held) end
      end
      redis.call('DEL', KEYS[1])
      return 1
      """;

  private final Redis redis;

  public RedisSessions(Redis redis) {
    this.redis = redis;
  }

  @Override
  public boolean start(StoredSession session, Instant now) {
    Long kept =
        redis.call(
            "start a session",
            commands ->
                commands.eval(
                    START,
                    ScriptOutputType.INTEGER,
                    new String[] {
                      redis.heldNickKey(session.nickKey()), redis.sessionKey(session.digest())
                    },
                    session.digest(),
                    session.nick(),
                    session.nickKey(),
                    Long.toString(session.expiresAt().toEpochMilli()),
                    redis.sessionKey(""),
                    Long.toString(now.toEpochMilli())));
    return kept != null && kept == 1;
  }

  @Override
  public Optional<StoredSession> find(String digest, Instant now) {
    Map<String, String> fields =
        redis.call("read a session", commands -> commands.hgetall(redis.sessionKey(digest)));
    if (fields == null || fields.isEmpty()) {
      return Optional.empty();
    }
    Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(fields.get("expiresAt")));
    return expiresAt.isAfter(now)
        ? Optional.of(
            new StoredSession(digest, fields.get("nick"), fields.get("nickKey"), expiresAt))
        : Optional.empty();
  }

  @Override
  public Optional<StoredSession> holder(String nickKey, Instant now) {
    String digest =
        redis.call("read a held nick", commands -> commands.get(redis.heldNickKey(nickKey)));
    return digest == null ? Optional.empty() : find(digest, now);
  }

  @Override
  public void renew(String digest, Instant expiresAt) {
    Long unused =
        redis.call(
            "renew a session",
            commands ->
                commands.eval(
                    RENEW,
                    ScriptOutputType.INTEGER,
                    new String[] {redis.sessionKey(digest)},
                    redis.heldNickKey(""),
                    digest,
                    Long.toString(expiresAt.toEpochMilli())));
  }

  @Override
  public void end(String digest) {
    Long unused =
        redis.call(
            "end a session",
            commands ->
                commands.eval(
                    END,
                    ScriptOutputType.INTEGER,
                    new String[] {redis.sessionKey(digest)},
                    redis.heldNickKey(""),
                    digest));
  }
}
