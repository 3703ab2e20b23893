package io.parley.stream;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * An outbound SSE event together with its bytes on the wire, made once and shared by every stream
 * it goes to: the room hands it around as an {@link OutboundSseEvent}, each stream writes {@link
 * #frame()} as it is. Data is one line (JSON never holds a raw line break).
 */
public final class EncodedEvent implements OutboundSseEvent {

  private final String name;
  private final String id;
  private final String comment;
  private final String data;
  private final long reconnectDelay;
  private final byte[] frame;

  EncodedEvent(String name, String id, String comment, String data, long reconnectDelay) {
    this.name = name;
    this.id = id;
    this.comment = comment;
    this.data = data;
    this.reconnectDelay = reconnectDelay;
    this.frame = frame(name, id, comment, data, reconnectDelay);
  }

  /** The bytes of any outbound event, for events that were not made by {@link EventEncoder}. */
  static byte[] frameOf(OutboundSseEvent event) {
    if (event instanceof EncodedEvent encoded) {
      return encoded.frame;
    }
    return frame(
        event.getName(),
        event.getId(),
        event.getComment(),
        event.getData() == null ? null : String.valueOf(event.getData()),
        event.getReconnectDelay());
  }

  private static byte[] frame(
      String name, String id, String comment, String data, long reconnectDelay) {
    StringBuilder text = new StringBuilder(64 + (data == null ? 0 : data.length()));
    if (comment != null) {
      for (String line : comment.split("\n", -1)) {
        text.append(": ").append(line).append('\n');
      }
    }
    if (name != null) {
      text.append("event: ").append(name).append('\n');
    }
    if (id != null) {
      text.append("id: ").append(id).append('\n');
    }
    if (reconnectDelay >= 0) {
      text.append("retry: ").append(reconnectDelay).append('\n');
    }
    if (data != null) {
      for (String line : data.split("\n", -1)) {
        text.append("data: ").append(line).append('\n');
      }
    }
    return text.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The event as written to a client. Shared: never change it. */
  byte[] frame() {
    return frame;
  }

  @Override
  public String getId() {
    return id;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getComment() {
    return comment;
  }

  @Override
  public long getReconnectDelay() {
    return reconnectDelay;
  }

  @Override
  public boolean isReconnectDelaySet() {
    return reconnectDelay >= 0;
  }

  @Override
  public Class<?> getType() {
    return String.class;
  }

  @Override
  public Type getGenericType() {
    return String.class;
  }

  @Override
  public MediaType getMediaType() {
    return MediaType.TEXT_PLAIN_TYPE;
  }

  @Override
  public Object getData() {
    return data;
  }
}
