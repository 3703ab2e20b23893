package io.parley.stream;

import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.Mentions;
import io.parley.core.Message;
import io.parley.core.Presence;
import jakarta.json.bind.Jsonb;
import java.time.Instant;
import java.util.List;

/**
 * The one place that turns what happens in a room into SSE events. Each event is built once, with
 * its data serialized to one line of JSON and its bytes on the wire ready ({@link EncodedEvent}),
 * and then shared by every stream it goes to.
 */
public final class EventEncoder {

  public record Connected(String room, String connectionId) {}

  public record Reset(String reason, String oldestId) {}

  public record Presence(String room, List<String> online, String joined, String left) {}

  public record Shutdown(String reason, long retry) {}

  /** An {@code edit} event's data. */
  public record EditData(
      String id,
      String room,
      String target,
      String text,
      Instant editedAt,
      List<String> mentions) {}

  /** A {@code delete} event's data. */
  public record DeleteData(String id, String room, String target, String by) {}

  public record Typing(String room, List<String> typing) {}

  public record Banned(String room, Instant until) {}

  /** The reason of the {@code shutdown} that ends a stream when the server stops. */
  public static final String SERVER_STOPPING = "server stopping";

  private static final long NO_RETRY = -1;

  /** The comment of an entry sent as its id alone (see {@link #replayed}). */
  static final String PASSED = "passed";

  private static final EncodedEvent PING = new EncodedEvent(null, null, "ping", null, NO_RETRY);

  private final Jsonb jsonb;
  private final long retryMillis;

  public EventEncoder(Jsonb jsonb, long retryMillis) {
    this.jsonb = jsonb;
    this.retryMillis = retryMillis;
  }

  /** The first event of every stream; it also carries the {@code retry:} hint. */
  public EncodedEvent connected(String room, String connectionId) {
    return event("connected", null, new Connected(room, connectionId), retryMillis);
  }

  public EncodedEvent message(Message message) {
    return event("message", message.id(), message, NO_RETRY);
  }

  /** A log entry as it happens: {@code message}, {@code edit} or {@code delete}, with its id. */
  public EncodedEvent live(Entry entry) {
    if (entry instanceof Message message) {
      return message(message);
    }
    if (entry instanceof Edit edit) {
      return event(
          "edit",
          edit.id(),
          new EditData(
              edit.id(),
              edit.room(),
              edit.target(),
              edit.text(),
              edit.editedAt(),
              Mentions.in(edit.text())),
          NO_RETRY);
    }
    Deletion deletion = (Deletion) entry;
    return event(
        "delete",
        deletion.id(),
        new DeleteData(deletion.id(), deletion.room(), deletion.target(), deletion.by()),
        NO_RETRY);
  }

  /**
   * A log entry in a catch-up, as it stands now. What a client must not see (a deleted message, an
   * edit of one) and, in a first connect's replay ({@code fresh}), the changes its messages already
   * show, are sent as their id alone: the browser's {@code Last-Event-ID} moves past them, and no
   * event is dispatched.
   */
  public EncodedEvent replayed(Entry entry, boolean fresh) {
    boolean hidden =
        entry instanceof Message message
            ? message.removed()
            : fresh || (entry instanceof Edit edit && edit.withdrawn());
    return hidden ? new EncodedEvent(null, entry.id(), PASSED, null, NO_RETRY) : live(entry);
  }

  /** Who is typing in the room now (no id: not a log entry). */
  public EncodedEvent typing(String room, List<String> typing) {
    return event("typing", null, new Typing(room, typing), NO_RETRY);
  }

  /** The last event of a stream whose person a moderator banned from the room until then. */
  public EncodedEvent banned(String room, Instant until) {
    return event("banned", null, new Banned(room, until), NO_RETRY);
  }

  public EncodedEvent reset(String reason, String oldestId) {
    return event("reset", null, new Reset(reason, oldestId), NO_RETRY);
  }

  public EncodedEvent presence(String room, List<String> online, String joined, String left) {
    return event("presence", null, new Presence(room, online, joined, left), NO_RETRY);
  }

  /**
   * The last event of a stream the server ends for {@code reason} ({@code event: shutdown}, no id),
   * with the {@code retry:} after which the browser should come back.
   */
  public EncodedEvent shutdown(String reason, long retryMillis) {
    return event("shutdown", null, new Shutdown(reason, retryMillis), retryMillis);
  }

  /** A comment line; it keeps proxies from timing out and shows which clients are gone. */
  public EncodedEvent ping() {
    return PING;
  }

  private EncodedEvent event(String name, String id, Object data, long retry) {
    return new EncodedEvent(name, id, null, jsonb.toJson(data), retry);
  }
}
