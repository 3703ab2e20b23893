package io.parley.stream;

import io.parley.core.Message;
import io.parley.core.Presence;
import jakarta.json.bind.Jsonb;
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

  /** The reason of the {@code shutdown} that ends a stream when the server stops. */
  public static final String SERVER_STOPPING = "server stopping";

  private static final long NO_RETRY = -1;
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
