package io.parley.chat;

import io.parley.config.ParleyConfig;
import io.parley.core.Appended;
import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Changing a room's messages: an author edits or deletes theirs (the same integration, or the
 * signed-in nick that wrote it) within {@code parley.edit.window-seconds}; a moderator deletes any.
 * Each change is an entry of the log, under an idempotency key if one is given.
 */
@ApplicationScoped
public class MessageChanges {

  private final MessageLog log;
  private final MessageRules rules;
  private final RoomAccess access;
  private final Moderation moderation;
  private final Duration idempotencyKeep;
  private final Duration editWindow;

  @Inject
  public MessageChanges(
      MessageLog log,
      MessageRules rules,
      RoomAccess access,
      Moderation moderation,
      ParleyConfig config) {
    this.log = log;
    this.rules = rules;
    this.access = access;
    this.moderation = moderation;
    this.idempotencyKeep = config == null ? null : config.idempotencyKeep();
    this.editWindow = config == null ? null : config.moderation().editWindow();
  }

  /** For the CDI proxy only. */
  protected MessageChanges() {
    this(null, null, null, null, null);
  }

  /**
   * Sets a message's text, by its author (the same integration, or the signed-in nick that wrote
   * it) within {@code parley.edit.window-seconds}: an {@code edit} entry in the log. Answers the
   * message as it stands then; with {@code key}, as {@link ChatService#post(String, PostMessage,
   * Poster, PostKey)} does.
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
            ChatService.idempotency(key, idempotencyKeep));
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
    ChatService.requireRoom(room);
    access.requireVisible(room, deleter);
    IdempotencyKey idempotency = ChatService.idempotency(key, idempotencyKeep);
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
    ChatService.requireRoom(room);
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
}
