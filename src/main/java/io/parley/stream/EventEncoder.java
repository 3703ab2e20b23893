package io.parley.stream;

import io.parley.chat.Message;
import jakarta.json.bind.Jsonb;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;

/**
 * The one place that turns what happens in a room into SSE events. Each event is built once, with
 * its data already serialized to one line of JSON, and then shared by every stream it goes to.
 */
public final class EventEncoder {

  public record Connected(String room, String connectionId) {}

  public record Reset(String reason, String oldestId) {}

  public record Presence(String room, List<String> online, String joined, String left) {}

  public record Shutdown(String reason, long retry) {}

  private final Sse sse;
  private final Jsonb jsonb;
  private final long retryMillis;
  private final OutboundSseEvent ping;

  public EventEncoder(Sse sse, Jsonb jsonb, long retryMillis) {
    this.sse = sse;
    this.jsonb = jsonb;
    this.retryMillis = retryMillis;
    this.ping = sse.newEventBuilder().comment("ping").build();
  }

  /** The first event of every stream; it also carries the {@code retry:} hint. */
  public OutboundSseEvent connected(String room, String connectionId) {
    return event("connected", null, new Connected(room, connectionId)).reconnectDelay(retryMillis).build();
  }

  public OutboundSseEvent message(Message message) {
    return event("message", message.id(), message).build();
  }

  public OutboundSseEvent reset(String reason, String oldestId) {
    return event("reset", null, new Reset(reason, oldestId)).build();
  }

  public OutboundSseEvent presence(String room, List<String> online, String joined, String left) {
    return event("presence", null, new Presence(room, online, joined, left)).build();
  }

  /**
   * The last event of a stream when the server stops ({@code event: shutdown}, no id) with a short
   * {@code retry:}, so the browser reconnects soon (to another node behind a load balancer), each
   * at its own moment. Jersey writes {@code retry:} only for an event with data.
   */
  public OutboundSseEvent goodbye(long retryMillis) {
    return event("shutdown", null, new Shutdown("server stopping", retryMillis)).reconnectDelay(retryMillis).build();
  }

  /** A comment line; it keeps proxies from timing out and shows which clients are gone. */
  public OutboundSseEvent ping() {
    return ping;
  }

  private OutboundSseEvent.Builder event(String name, String id, Object data) {
    OutboundSseEvent.Builder builder =
        sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, jsonb.toJson(data));
    return id == null ? builder : builder.id(id);
  }
}
