package io.parley.chat;

import io.parley.config.ParleyConfig;
import io.parley.core.Appended;
import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomDirectory;
import io.parley.core.RoomSummary;
import io.parley.core.TypingSignals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Posting and reading a room's messages: validates, appends to the log, then broadcasts. */
@ApplicationScoped
public class ChatService {

  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 500;
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
  private final Duration editWindow;

  /** Unread counts stop here; a count of this many means more than {@link #UNREAD_SHOWN}. */
  public static final int UNREAD_CAP = 100;

  public static final int UNREAD_SHOWN = UNREAD_CAP - 1;

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
    this.editWindow = config == null ? null : config.moderation().editWindow();
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
    IdempotencyKey idempotency = idempotency(key);
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

  /** The key as the log takes it; 400 for one that is not 1 to 64 URL-safe characters. */
  private IdempotencyKey idempotency(PostKey key) {
    if (key == null) {
      return null;
    }
    requireKey(key);
    return new IdempotencyKey(key.poster(), key.key(), idempotencyKeep);
  }

  static void requireKey(PostKey key) {
    if (!IDEMPOTENCY_KEY.matcher(key.key()).matches()) {
      throw new InvalidInputException(
          "Idempotency-Key", "must be 1 to 64 of A-Z, a-z, 0-9, '-' and '_'");
    }
  }

  /**
   * Messages after {@code after} (or the latest, without it), oldest first, as they stand: edited
   * ones with their new text and {@code editedAt}, deleted ones left out, unless a moderator asks
   * for them ({@code withDeleted}: their tombstones).
   */
  public List<Message> history(
      String room, String after, int limit, Poster reader, boolean withDeleted) {
    return history(room, after, null, limit, reader, withDeleted);
  }

  /**
   * As {@link #history(String, String, int, Poster, boolean)}; with {@code before} instead of
   * {@code after}, the {@code limit} messages that come before that id (scrolling back), oldest
   * first.
   */
  public List<Message> history(
      String room, String after, String before, int limit, Poster reader, boolean withDeleted) {
    if (after != null && before != null) {
      throw new InvalidInputException("before", "cannot be given with after");
    }
    if (before != null) {
      requireRoom(room);
      access.requireVisible(room, reader);
      if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
        throw new InvalidInputException("limit", "must be between 1 and " + MAX_HISTORY_LIMIT);
      }
      if (withDeleted) {
        Moderation.requireModerator(reader);
      }
      return olderThan(room, before, limit, withDeleted);
    }
    requireRoom(room);
    access.requireVisible(room, reader);
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_HISTORY_LIMIT);
    }
    if (withDeleted) {
      Moderation.requireModerator(reader);
    }
    if (after == null) {
      List<Message> latest = messages(log.latest(room, limit), withDeleted);
      return latest.subList(Math.max(0, latest.size() - limit), latest.size());
    }
    List<Message> found = new ArrayList<>();
    String cursor = after;
    while (found.size() < limit) {
      Resume resume = log.after(room, cursor, limit);
      if (!(resume instanceof Resume.Continue exact)) {
        throw new HistoryGoneException(after, ((Resume.Reset) resume).reason());
      }
      found.addAll(messages(exact.entries(), withDeleted));
      if (exact.entries().size() < limit) {
        break;
      }
      cursor = exact.entries().get(exact.entries().size() - 1).id();
    }
    return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
  }

  /** Up to {@code limit} messages before {@code id}, oldest first, read back a page at a time. */
  private List<Message> olderThan(String room, String id, int limit, boolean withDeleted) {
    List<Message> found = new ArrayList<>();
    String cursor = id;
    while (found.size() < limit) {
      Resume resume = log.before(room, cursor, limit);
      if (!(resume instanceof Resume.Continue older)) {
        throw new HistoryGoneException(id, ((Resume.Reset) resume).reason());
      }
      found.addAll(0, messages(older.entries(), withDeleted));
      if (older.entries().size() < limit) {
        break;
      }
      cursor = older.entries().get(0).id();
    }
    return found.size() > limit
        ? List.copyOf(found.subList(found.size() - limit, found.size()))
        : found;
  }

  /** The entries' messages, less the deleted ones unless {@code withDeleted}. */
  private static List<Message> messages(List<? extends Entry> entries, boolean withDeleted) {
    List<Message> messages = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry instanceof Message message && (withDeleted || !message.removed())) {
        messages.add(message);
      }
    }
    return messages;
  }

  /** One message as it stands; a deleted one only for a moderator (its tombstone). */
  public Optional<Message> find(String room, String id, Poster reader) {
    requireRoom(room);
    access.requireVisible(room, reader);
    return log.find(room, id)
        .filter(Message.class::isInstance)
        .map(Message.class::cast)
        .filter(message -> !message.removed() || reader.moderator());
  }

  /**
   * Sets a message's text, by its author (the same integration, or the signed-in nick that wrote
   * it) within {@code parley.edit.window-seconds}: an {@code edit} entry in the log. Answers the
   * message as it stands then; with {@code key}, as {@link #post} does.
   */
  public Posted edit(String room, String id, String text, Poster editor, PostKey key) {
    Message message = standing(room, id, editor);
    requireAuthor(message, editor, "edit");
    PostMessage edited = new PostMessage(message.author(), text).normalized();
    rules.check(edited);
    moderation.requireNotBanned(room, message.author());
    Appended appended =
        log.edit(
            room,
            id,
            message.author(),
            edited.text(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS),
            idempotency(key));
    if (appended.replayed()
        && !(appended.entry() instanceof Edit first
            && first.room().equals(room)
            && first.target().equals(id)
            && first.text().equals(edited.text()))) {
      throw new IdempotencyConflictException(key.key(), appended.entry());
    }
    Message now =
        log.find(room, id)
            .filter(Message.class::isInstance)
            .map(Message.class::cast)
            .orElse(message.edited(edited.text(), ((Edit) appended.entry()).editedAt()));
    return new Posted(now, appended.replayed());
  }

  /**
   * Deletes a message, by its author within {@code parley.edit.window-seconds} or by a moderator at
   * any time: a deletion entry in the log. True if this was a repeat under {@code key}.
   */
  public boolean delete(String room, String id, Poster deleter, PostKey key) {
    requireRoom(room);
    access.requireVisible(room, deleter);
    IdempotencyKey idempotency = idempotency(key);
    Optional<Message> found =
        log.find(room, id).filter(Message.class::isInstance).map(Message.class::cast);
    boolean gone = found.isEmpty() || found.get().removed();
    if (gone && idempotency == null) {
      throw noSuchMessage(room, id);
    }
    if (!gone && !deleter.moderator()) {
      requireAuthor(found.get(), deleter, "delete");
    }
    String by = deleter.name();
    Appended appended =
        log.delete(room, id, by, Instant.now().truncatedTo(ChronoUnit.MILLIS), idempotency);
    if (appended.replayed()) {
      if (!(appended.entry() instanceof Deletion first
          && first.room().equals(room)
          && first.target().equals(id))) {
        throw new IdempotencyConflictException(key.key(), appended.entry());
      }
      return true;
    }
    if (gone) {
      throw noSuchMessage(room, id); // a new key for a message deleted before
    }
    if (deleter.moderator() && !isAuthor(found.get(), deleter)) {
      moderation.deleted(room, id, deleter);
    }
    return false;
  }

  /** The room's message {@code id}, not deleted; 404 otherwise. */
  private Message standing(String room, String id, Poster caller) {
    requireRoom(room);
    access.requireVisible(room, caller);
    return log.find(room, id)
        .filter(Message.class::isInstance)
        .map(Message.class::cast)
        .filter(message -> !message.removed())
        .orElseThrow(() -> noSuchMessage(room, id));
  }

  private static RoomAccessException noSuchMessage(String room, String id) {
    return new RoomAccessException(
        RoomAccessException.Refusal.NO_SUCH_MESSAGE,
        "There is no message " + id + " in the room " + room + ".");
  }

  /** Throws a 403 unless {@code caller} wrote the message and its edit window is open. */
  private void requireAuthor(Message message, Poster caller, String what) {
    if (!isAuthor(message, caller)) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.NOT_AUTHOR,
          caller.isIntegration() || caller.isSignedIn()
              ? "Only the author of message " + message.id() + " may " + what + " it."
              : "Only the author may "
                  + what
                  + " a message: sign in with a session (POST /api/sessions) or a token.");
    }
    if (Instant.now().isAfter(message.sentAt().plus(editWindow))) {
      throw new RoomAccessException(
          RoomAccessException.Refusal.EDIT_WINDOW_CLOSED,
          "Message "
              + message.id()
              + " may be changed by its author for "
              + editWindow.toSeconds()
              + " s after it was posted; that time is over.");
    }
  }

  /** Whether the caller wrote the message: the same integration, or the signed-in nick. */
  private static boolean isAuthor(Message message, Poster caller) {
    if (caller.isIntegration()) {
      return message.integration() && message.author().equals(caller.integration());
    }
    return caller.isSignedIn()
        && !message.integration()
        && Names.skeleton(message.author()).equals(Names.skeleton(caller.signedIn()));
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

  /**
   * Each listed room's unread count (messages after the id the caller last read there, up to {@link
   * #UNREAD_CAP}) and whether one of them names {@code nick} (null: nobody to name); rooms the
   * caller may not see are left out. An id the room no longer holds counts every message it keeps.
   */
  public List<RoomInfo> unread(Map<String, String> lastRead, Poster reader, String nick) {
    List<RoomInfo> counted = new ArrayList<>();
    Map<String, List<String>> held = rooms.heldRooms();
    for (Map.Entry<String, String> read : lastRead.entrySet()) {
      String room = read.getKey();
      requireRoom(room);
      if (!access.visible(room, reader)) {
        continue;
      }
      List<Message> unread = unreadIn(room, read.getValue());
      boolean mentioned =
          nick != null
              && unread.stream()
                  .anyMatch(
                      message ->
                          message.mentions().stream()
                              .anyMatch(
                                  named -> Names.skeleton(named).equals(Names.skeleton(nick))));
      List<String> online = held.get(room);
      counted.add(
          new RoomInfo(
              room,
              (online == null ? rooms.onlineElsewhere(room) : online).size(),
              log.latest(room, 1).stream().reduce((a, b) -> b).map(Entry::id).orElse(null),
              unread.size(),
              nick == null ? null : mentioned));
    }
    return counted;
  }

  /** Up to {@link #UNREAD_CAP} messages that stand after {@code id}. */
  private List<Message> unreadIn(String room, String id) {
    List<Message> unread = new ArrayList<>();
    String cursor = id;
    while (unread.size() < UNREAD_CAP) {
      Resume resume = log.after(room, cursor, UNREAD_CAP);
      if (!(resume instanceof Resume.Continue exact)) {
        unread = messages(log.latest(room, UNREAD_CAP), false);
        break;
      }
      unread.addAll(messages(exact.entries(), false));
      if (exact.entries().size() < UNREAD_CAP) {
        break;
      }
      cursor = exact.entries().get(exact.entries().size() - 1).id();
    }
    return unread.size() > UNREAD_CAP ? unread.subList(0, UNREAD_CAP) : unread;
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
