package io.parley.chat;

import io.parley.config.ParleyConfig;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.RoomDirectory;
import io.parley.core.RoomSummary;
import io.parley.core.TypingSignals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Posting to a room (validates, appends to the log, which then broadcasts), typing in it, and the
 * list of rooms. Reading a room's messages is {@link History}; changing them, {@link
 * MessageChanges}.
 */
@ApplicationScoped
public class ChatService {

  public static final int DEFAULT_ROOMS_LIMIT = 100;
  public static final int MAX_ROOMS_LIMIT = 1000;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final MessageLog log;
  private final RoomDirectory rooms;
  private final MessageRules rules;
  private final Sessions sessions;
  private final RoomAccess access;
  private final Moderation moderation;
  private final TypingSignals typing;
  private final Duration idempotencyKeep;

  @Inject
  public ChatService(
      MessageLog log,
      RoomDirectory rooms,
      MessageRules rules,
      Sessions sessions,
      RoomAccess access,
      Moderation moderation,
      TypingSignals typing,
      ParleyConfig config) {
    this.log = log;
    this.rooms = rooms;
    this.rules = rules;
    this.sessions = sessions;
    this.access = access;
    this.moderation = moderation;
    this.typing = typing;
    this.idempotencyKeep = config == null ? null : config.idempotencyKeep();
  }

  /** For the CDI proxy only. */
  protected ChatService() {
    this(null, null, null, null, null, null, null, null);
  }

  /**
   * Stores the message; the log then hands it to the room's streams (see {@link
   * MessageLog#onAppend}) in its order, once it is committed. An integration's post is authored by
   * its name, and a signed-in person's by the nick their session holds, whatever the body says;
   * nobody else may use those names, nor look-alikes of them.
   */
  public Message post(String room, PostMessage request, Poster poster) {
    return post(room, request, poster, null).message();
  }

  /**
   * As {@link #post(String, PostMessage, Poster)}, under the poster's idempotency key when {@code
   * key} is not null: a post with a key its poster used within {@code parley.idempotency.seconds}
   * stores nothing and answers the first post's message (replayed), or is refused if it is not the
   * same post.
   */
  public Posted post(String room, PostMessage request, Poster poster, PostKey key) {
    requireRoom(room);
    access.requireVisible(room, poster);
    PostMessage message = request == null ? null : request.normalized();
    if (poster.isIntegration() && message != null) {
      message = new PostMessage(poster.integration(), message.text());
    } else if (poster.isSignedIn() && message != null) {
      message = new PostMessage(poster.signedIn(), message.text());
    }
    rules.check(message);
    if (!poster.isIntegration() && !poster.isSignedIn()) {
      rules.checkNotReserved(message.author());
      sessions.requireNotHeld(message.author());
    }
    moderation.requireNotBanned(room, message.author());
    IdempotencyKey idempotency = idempotency(key, idempotencyKeep);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Appended appended =
        log.append(
            room, message.author(), message.text(), now, poster.isIntegration(), idempotency);
    if (appended.replayed() && !(appended.entry() instanceof Message)) {
      throw new IdempotencyConflictException(key.key(), appended.entry());
    }
    Message stored = appended.message();
    if (appended.replayed()
        && !(stored.room().equals(room)
            && stored.author().equals(message.author())
            && stored.text().equals(message.text()))) {
      throw new IdempotencyConflictException(key.key(), stored);
    }
    return new Posted(stored, appended.replayed());
  }

  /**
   * The key as the log takes it, kept {@code keep}; 400 for one that is not 1 to 64 URL-safe
   * characters.
   */
  static IdempotencyKey idempotency(PostKey key, Duration keep) {
    if (key == null) {
      return null;
    }
    requireKey(key);
    return new IdempotencyKey(key.poster(), key.key(), keep);
  }

  static void requireKey(PostKey key) {
    if (!IDEMPOTENCY_KEY.matcher(key.key()).matches()) {
      throw new InvalidInputException(
          "Idempotency-Key", "must be 1 to 64 of A-Z, a-z, 0-9, '-' and '_'");
    }
  }

  /**
   * Someone typed in the room: a signed-in person under their nick, anyone else under {@code nick}
   * (which must be theirs to use, as for a post). Every node's streams of the room hear of it.
   */
  public void typed(String room, Poster poster, String nick) {
    requireRoom(room);
    access.requireVisible(room, poster);
    String name;
    if (poster.isSignedIn()) {
      name = poster.signedIn();
    } else if (poster.isIntegration()) {
      name = poster.integration();
    } else {
      name = rules.checkNick(nick == null ? "" : nick);
      sessions.requireNotHeld(name);
    }
    moderation.requireNotBanned(room, name);
    typing.typed(room, name);
  }

  /** A page of rooms, and whether more follow it. */
  public record RoomsPage(List<RoomInfo> rooms, boolean more) {}

  /**
   * Rooms that have messages or people online (in cluster mode, rooms with messages, and those with
   * people on this node), by name: up to {@code limit} after the name {@code after} (null: from the
   * first), with who is online in each. Names merely listened to are not listed, nor private rooms
   * {@code reader} may not use.
   */
  public RoomsPage rooms(String after, int limit, Poster reader) {
    if (after != null) {
      requireRoom(after);
    }
    if (limit < 1 || limit > MAX_ROOMS_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_ROOMS_LIMIT);
    }
    TreeMap<String, RoomInfo> page = new TreeMap<>();
    Set<String> hidden = access.hiddenFrom(reader);
    Map<String, List<String>> held = rooms.heldRooms();
    held.forEach(
        (name, online) -> {
          if (!online.isEmpty() && (after == null || name.compareTo(after) > 0)) {
            page.put(name, RoomInfo.listed(name, online.size(), null));
          }
        });
    // One more than a page (and the hidden ones), so that the merged page knows whether anything
    // follows it.
    for (RoomSummary summary : log.rooms(after, limit + 1 + hidden.size())) {
      List<String> online = held.get(summary.name());
      int count = online == null ? rooms.onlineElsewhere(summary.name()).size() : online.size();
      page.put(summary.name(), RoomInfo.listed(summary.name(), count, summary.lastMessageId()));
    }
    page.keySet().removeAll(hidden);
    List<RoomInfo> all = List.copyOf(page.values());
    return all.size() > limit
        ? new RoomsPage(all.subList(0, limit), true)
        : new RoomsPage(all, false);
  }

  public static void requireRoom(String room) {
    if (!RoomName.isValid(room)) {
      throw new InvalidInputException(
          "room", "must be 1 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
