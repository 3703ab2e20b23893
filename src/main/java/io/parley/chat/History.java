package io.parley.chat;

import io.parley.core.Entry;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading a room's messages as they stand: history (after an id, the latest, or before an id, for
 * scrolling back), one message, and the unread counts of rooms a reader is not streaming.
 */
@ApplicationScoped
public class History {

  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 500;

  /** Unread counts stop here; a count of this many means more than {@link #UNREAD_SHOWN}. */
  public static final int UNREAD_CAP = 100;

  public static final int UNREAD_SHOWN = UNREAD_CAP - 1;

  private final MessageLog log;
  private final RoomDirectory rooms;
  private final RoomAccess access;

  @Inject
  public History(MessageLog log, RoomDirectory rooms, RoomAccess access) {
    this.log = log;
    this.rooms = rooms;
    this.access = access;
  }

  /** For the CDI proxy only. */
  protected History() {
    this(null, null, null);
  }

  /**
   * Messages after {@code after} (or the latest, without it), oldest first, as they stand: edited
   * ones with their new text and {@code editedAt}, deleted ones left out, unless a moderator asks
   * for them ({@code withDeleted}: their tombstones). With {@code before} instead of {@code after},
   * the {@code limit} messages that come before that id (scrolling back), oldest first.
   */
  public List<Message> history(
      String room, String after, String before, int limit, Poster reader, boolean withDeleted) {
    if (after != null && before != null) {
      throw new InvalidInputException("before", "cannot be given with after");
    }
    ChatService.requireRoom(room);
    access.requireVisible(room, reader);
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_HISTORY_LIMIT);
    }
    if (withDeleted) {
      Moderation.requireModerator(reader);
    }
    if (before != null) {
      return olderThan(room, before, limit, withDeleted);
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
    ChatService.requireRoom(room);
    access.requireVisible(room, reader);
    return log.find(room, id)
        .filter(Message.class::isInstance)
        .map(Message.class::cast)
        .filter(message -> !message.removed() || reader.moderator());
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
      ChatService.requireRoom(room);
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
}
