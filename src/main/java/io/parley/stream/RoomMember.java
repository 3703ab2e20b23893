package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;

/**
 * What a room fans its events out to: one of Parley's client streams, or any other {@link
 * SseEventSink}.
 */
interface RoomMember {

  /** How a member left its room. */
  enum CloseReason {
    CLIENT_GONE,
    TOO_SLOW,
    SERVER_CLOSED
  }

  /** Hears that a member left its room: how, and why if it failed (else null). */
  @FunctionalInterface
  interface Departure {
    void left(RoomMember member, CloseReason reason, Throwable failure);
  }

  /** The sink as the room's listeners know it. */
  SseEventSink sink();

  /** The nick it counts as in the room's presence, or null. */
  String nick();

  /**
   * Takes events, in order, without waiting on the client. Throws {@link IllegalStateException} if
   * the member is closed, or is cut off now for being too far behind.
   */
  void send(List<OutboundSseEvent> events);

  /** Ends the member from the server's side. */
  void close(CloseReason reason);
}
