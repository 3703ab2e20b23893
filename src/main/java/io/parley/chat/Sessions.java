package io.parley.chat;

import io.parley.config.ParleyConfig;
import io.parley.core.Secrets;
import io.parley.core.SessionStore;
import io.parley.core.SessionStore.StoredSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Sessions that hold nicknames. A session is started with a nick nobody holds (names compare as
 * people read them: a look-alike is the same name) and holds it until {@code parley.nick.hold-days}
 * after it was last used, or until it ends; meanwhile nobody else may post or stream under it. Its
 * token comes from {@link Secrets} (SecureRandom) and is kept only as its SHA-256 digest, so
 * neither the store nor a log holds anything that signs in. Thread-safe.
 */
@ApplicationScoped
public class Sessions {

  private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

  /** What every session token starts with, so it is never taken for an integration's token. */
  public static final String TOKEN_PREFIX = "ps_";

  /**
   * What the token of a session a moderator started with their secret starts with: only such a
   * session is a moderator's, and only while its nick is still a moderator's name.
   */
  public static final String MODERATOR_TOKEN_PREFIX = "pm_";

  private static final int TOKEN_BYTES = 32;

  /** A session's expiry is moved on at most this often as it is used. */
  static final Duration RENEW_EVERY = Duration.ofHours(1);

  /**
   * A session as its holder sees it: the nick, until when it is held, its token, and whether it is
   * a moderator's (started with the moderator's secret, under a name {@code parley.moderators}
   * still names).
   */
  public record SignedIn(String nick, Instant expiresAt, String token, boolean moderator) {}

  private final SessionStore store;
  private final MessageRules rules;
  private final Duration hold;
  private final Clock clock;

  /** The moderators' names as look-alike keys ({@link Names#skeleton}). */
  private final Set<String> moderators;

  @Inject
  public Sessions(SessionStore store, MessageRules rules, ParleyConfig config) {
    this(
        store,
        rules,
        config.signIn().nickHold(),
        Clock.systemUTC(),
        config.moderation().moderators().keySet());
  }

  Sessions(
      SessionStore store,
      MessageRules rules,
      Duration hold,
      Clock clock,
      Collection<String> moderators) {
    this.store = store;
    this.rules = rules;
    this.hold = hold;
    this.clock = clock;
    this.moderators =
        moderators.stream().map(Names::skeleton).collect(Collectors.toUnmodifiableSet());
  }

  /** For the CDI proxy only. */
  protected Sessions() {
    this.store = null;
    this.rules = null;
    this.hold = null;
    this.clock = null;
    this.moderators = Set.of();
  }

  /** Whether a bearer token is a session's (else it may be an integration's). */
  public static boolean isSessionToken(String token) {
    return token.startsWith(TOKEN_PREFIX) || token.startsWith(MODERATOR_TOKEN_PREFIX);
  }

  /**
   * Starts a session holding {@code nick} (normalised as names are). If {@code current}, a token
   * the caller showed (or null), is the session that holds this nick already, that session is
   * answered. Throws {@link NickHeldException} if another session holds it, {@link
   * InvalidInputException} or {@link ReservedNameException} for a nick nobody may take.
   */
  public SignedIn start(String nick, String current) {
    return start(rules.checkNick(nick), current, TOKEN_PREFIX);
  }

  /**
   * Starts a moderator's session: as {@link #start}, for the moderator's own name, which nobody
   * else may take. The caller has checked their secret: {@code moderator} is the name it belongs
   * to. Empty if {@code nick} is not that name (nor a look-alike of it).
   */
  public Optional<SignedIn> startModerator(String nick, String moderator, String current) {
    String normalized = rules.checkNickShape(nick);
    if (!Names.skeleton(normalized).equals(Names.skeleton(moderator))
        || !moderators.contains(Names.skeleton(moderator))) {
      return Optional.empty();
    }
    return Optional.of(start(normalized, current, MODERATOR_TOKEN_PREFIX));
  }

  private SignedIn start(String normalized, String current, String prefix) {
    String key = Names.skeleton(normalized);
    Instant now = now();
    if (current != null && current.startsWith(prefix)) {
      Optional<StoredSession> mine = store.find(digest(current), now);
      if (mine.isPresent() && mine.get().nickKey().equals(key)) {
        return signedIn(renewed(mine.get(), now), current);
      }
    }
    String token = Secrets.newSecret(prefix, TOKEN_BYTES);
    StoredSession session = new StoredSession(digest(token), normalized, key, now.plus(hold));
    if (!store.start(session, now)) {
      throw new NickHeldException(normalized);
    }
    return signedIn(session, token);
  }

  /**
   * Holds {@code nick} for a user an identity provider vouches for ({@code subject}: who the
   * provider says it is, the same at every sign-in), and answers it as signed in (with no token:
   * the provider's token is the proof). The provider's word wins: a session that held the nick
   * before is ended. A user whose name changed at the provider lets go of the old one.
   */
  public SignedIn provided(String subject, String nick) {
    String normalized = rules.checkNick(nick);
    String key = Names.skeleton(normalized);
    String digest = digest("provided\n" + subject);
    Instant now = now();
    Optional<StoredSession> mine = store.find(digest, now);
    if (mine.isPresent() && mine.get().nickKey().equals(key)) {
      return signedIn(renewed(mine.get(), now), null);
    }
    mine.ifPresent(old -> store.end(old.digest()));
    StoredSession session = new StoredSession(digest, normalized, key, now.plus(hold));
    for (int attempt = 0; attempt < 2; attempt++) {
      if (store.start(session, now)) {
        return signedIn(session, null);
      }
      store.holder(key, now).ifPresent(other -> store.end(other.digest()));
    }
    throw new NickHeldException(normalized); // taken again between the end and the start
  }

  /** The session of this token, if it is one and has not expired; its hold is renewed by use. */
  public Optional<SignedIn> find(String token) {
    if (token == null || !isSessionToken(token)) {
      return Optional.empty();
    }
    Instant now = now();
    return store.find(digest(token), now).map(session -> signedIn(renewed(session, now), token));
  }

  /** Ends the session of this token (if it is one): its nick is free. */
  public void end(String token) {
    if (token != null && isSessionToken(token)) {
      store.end(digest(token));
    }
  }

  /**
   * Throws {@link NickHeldException} if a session holds this name or a look-alike of it: a person
   * without that session may neither post nor stream under it. While the store does not answer,
   * nothing is held: a stream then shows the nick as it is given (a post fails with the store).
   */
  public void requireNotHeld(String name) {
    boolean held;
    try {
      held = store.holder(Names.skeleton(name), now()).isPresent();
    } catch (RuntimeException storeFailed) {
      LOG.log(Level.FINE, "Held nicks cannot be read; " + name + " is let through", storeFailed);
      return;
    }
    if (held) {
      throw new NickHeldException(Names.normalized(name));
    }
  }

  private StoredSession renewed(StoredSession session, Instant now) {
    Instant expiresAt = now.plus(hold);
    if (session.expiresAt().plus(RENEW_EVERY).isAfter(expiresAt)) {
      return session;
    }
    store.renew(session.digest(), expiresAt);
    return new StoredSession(session.digest(), session.nick(), session.nickKey(), expiresAt);
  }

  private SignedIn signedIn(StoredSession session, String token) {
    boolean moderator =
        token != null
            && token.startsWith(MODERATOR_TOKEN_PREFIX)
            && moderators.contains(session.nickKey());
    return new SignedIn(session.nick(), session.expiresAt(), token, moderator);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** The token's SHA-256, in hex: what the store keeps and looks sessions up by. */
  static String digest(String token) {
    return Secrets.sha256Hex(token);
  }
}
