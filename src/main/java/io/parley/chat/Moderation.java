package io.parley.chat;

import io.parley.config.ParleyConfig;
import io.parley.core.BanStore;
import io.parley.core.Repeating;
import io.parley.core.RequestKeys;
import io.parley.core.RoomDirectory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bans: a moderator bans a nick (and its look-alikes, and so the session that holds it) from a room
 * for some minutes. A banned person's posts, edits, typing and new streams in the room are refused
 * ({@link BannedException}); their open streams there get {@code event: banned} and end, at once on
 * the node that banned them and within {@value #SWEEP_MILLIS} ms on the others (each node checks
 * the bans in force that often). Everything a moderator does is written to the log ({@code
 * io.parley.moderation}, who, what and when) and fired as a {@link ModerationAction}. Thread-safe.
 */
@ApplicationScoped
public class Moderation {

  /** How often each node ends the streams of nicks banned on another node. */
  static final long SWEEP_MILLIS = 3000;

  /** The longest ban, in minutes (a year). */
  public static final int MAX_MINUTES = 525_600;

  private static final Logger AUDIT = Logger.getLogger("io.parley.moderation");
  private static final Logger LOG = Logger.getLogger(Moderation.class.getName());

  private final BanStore bans;
  private final RequestKeys keys;
  private final RoomDirectory directory;
  private final RoomAccess access;
  private final MessageRules rules;
  private final Event<ModerationAction> actions;
  private final Duration keyKeep;
  private final ScheduledExecutorService sweeper;

  /** A ban as the API shows it. */
  public record BanInfo(String room, String nick, Instant until, String by) {}

  @Inject
  public Moderation(
      BanStore bans,
      RequestKeys keys,
      RoomDirectory directory,
      RoomAccess access,
      MessageRules rules,
      Event<ModerationAction> actions,
      ParleyConfig config) {
    this.bans = bans;
    this.keys = keys;
    this.directory = directory;
    this.access = access;
    this.rules = rules;
    this.actions = actions;
    this.keyKeep = config.idempotencyKeep();
    this.sweeper = Repeating.daemon("parley-bans");
    Repeating.every(sweeper, SWEEP_MILLIS, "ending banned nicks' streams", this::sweep);
  }

  /** For the CDI proxy only. */
  protected Moderation() {
    this.bans = null;
    this.keys = null;
    this.directory = null;
    this.access = null;
    this.rules = null;
    this.actions = null;
    this.keyKeep = null;
    this.sweeper = null;
  }

  /** Throws a 403 unless {@code poster} is a moderator. */
  public static void requireModerator(Poster poster) {
    if (!poster.moderator()) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.MODERATORS_ONLY, "Only moderators may do this.");
    }
  }

  /**
   * Bans {@code nick} from the room for {@code minutes} (over any ban it had there) and ends its
   * streams in the room. With {@code key}, a repeat within {@code parley.idempotency.seconds}
   * answers the first ban (replayed) and changes nothing; the same key for another ban is 422.
   */
  public Banned ban(String room, String nick, Integer minutes, Poster moderator, PostKey key) {
    requireModerator(moderator);
    ChatService.requireRoom(room);
    access.requireVisible(room, moderator);
    if (nick == null || nick.isBlank()) {
      throw new InvalidInputException("nick", "must not be blank");
    }
    String normalized = Names.normalized(nick);
    rules.check(new PostMessage(normalized, "-"));
    if (minutes == null || minutes < 1 || minutes > MAX_MINUTES) {
      throw new InvalidInputException("minutes", "must be between 1 and " + MAX_MINUTES);
    }
    Instant until = Instant.now().plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    BanInfo made = new BanInfo(room, normalized, until, moderator.name());
    if (key != null) {
      ChatService.requireKey(key);
      String request = room + "\n" + normalized + "\n" + minutes;
      Optional<RequestKeys.First> first =
          keys.rememberFirst(
              key.poster(),
              key.key(),
              new RequestKeys.First(request, until + "\n" + moderator.name()),
              keyKeep);
      if (first.isPresent()) {
        if (!first.get().request().equals(request)) {
          throw new IdempotencyConflictException(key.key(), null);
        }
        String[] answer = first.get().answer().split("\n", 2);
        return new Banned(new BanInfo(room, normalized, Instant.parse(answer[0]), answer[1]), true);
      }
    }
    String nickKey = Names.skeleton(normalized);
    bans.ban(new BanStore.Ban(room, nickKey, normalized, until, moderator.name()));
    directory.endBanned(room, streamNick -> bannedBy(streamNick, nickKey), until);
    did("ban", room, normalized, moderator, until);
    return new Banned(made, false);
  }

  /** What a ban did: made it, or ({@code replayed}) found the one made under the same key. */
  public record Banned(BanInfo ban, boolean replayed) {}

  /** Lifts the nick's ban in the room; false if it had none in force. */
  public boolean lift(String room, String nick, Poster moderator) {
    requireModerator(moderator);
    ChatService.requireRoom(room);
    access.requireVisible(room, moderator);
    String normalized = Names.normalized(nick);
    boolean lifted = bans.lift(room, Names.skeleton(normalized), Instant.now());
    if (lifted) {
      did("lift", room, normalized, moderator, null);
    }
    return lifted;
  }

  /** The room's bans in force. */
  public List<BanInfo> bans(String room, Poster moderator) {
    requireModerator(moderator);
    ChatService.requireRoom(room);
    access.requireVisible(room, moderator);
    return bans.bans(room, Instant.now()).stream()
        .map(ban -> new BanInfo(ban.room(), ban.nick(), ban.until(), ban.by()))
        .toList();
  }

  /**
   * Throws {@link BannedException} if the name (or a look-alike) is banned from the room. While the
   * store does not answer, nobody is taken for banned: streams go on through an outage, and a post
   * fails with the store anyway.
   */
  public void requireNotBanned(String room, String name) {
    if (name == null) {
      return;
    }
    Optional<BanStore.Ban> ban;
    try {
      ban = bans.find(room, Names.skeleton(name), Instant.now());
    } catch (RuntimeException storeFailed) {
      LOG.log(Level.FINE, "Bans cannot be read; " + name + " is let through", storeFailed);
      return;
    }
    if (ban.isPresent()) {
      throw new BannedException(Names.normalized(name), room, ban.get().until());
    }
  }

  /** A moderator deleted someone else's message. */
  void deleted(String room, String id, Poster moderator) {
    did("delete", room, id, moderator, null);
  }

  private void did(String action, String room, String subject, Poster moderator, Instant until) {
    Instant at = Instant.now();
    AUDIT.info(
        () ->
            "Moderator "
                + moderator.name()
                + " did "
                + action
                + " of "
                + subject
                + " in room "
                + room
                + " at "
                + at
                + (until == null ? "" : ", until " + until));
    actions.fire(new ModerationAction(action, room, subject, moderator.name(), at));
  }

  private static boolean bannedBy(String streamNick, String nickKey) {
    return streamNick != null && Names.skeleton(streamNick).equals(nickKey);
  }

  /** Ends this node's streams of nicks banned on any node. */
  private void sweep() {
    List<BanStore.Ban> inForce;
    try {
      inForce = bans.all(Instant.now());
    } catch (RuntimeException storeFailed) {
      return; // the store says so itself; the next sweep tries again
    }
    for (BanStore.Ban ban : inForce) {
      directory.endBanned(
          ban.room(), streamNick -> bannedBy(streamNick, ban.nickKey()), ban.until());
    }
  }

  @PreDestroy
  void stop() {
    sweeper.shutdownNow();
  }
}
