package io.parley.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the sessions that hold nicknames are kept: each by the digest of its token (never the token
 * itself), with the nick it holds, that nick's key (how names compare: look-alikes share one) and
 * when it expires. A nick key is held by at most one session that has not expired, on every node
 * that shares the store. Implementations are thread-safe.
 */
public interface SessionStore {

  /** A session as kept. */
  record StoredSession(String digest, String nick, String nickKey, Instant expiresAt) {}

  /**
   * Keeps the session, unless a session that has not expired at {@code now} holds its nick key
   * (then false, and nothing is kept). Two starts for one key, on any nodes, keep one.
   */
  boolean start(StoredSession session, Instant now);

  /** The session with this digest, if it has not expired at {@code now}. */
  Optional<StoredSession> find(String digest, Instant now);

  /** The session that holds this nick key at {@code now}, if any. */
  Optional<StoredSession> holder(String nickKey, Instant now);

  /** Moves the session's expiry to {@code expiresAt} (it was used). */
  void renew(String digest, Instant expiresAt);

  /** Ends the session: its nick is free. Nothing happens if there is no such session. */
  void end(String digest);
}
