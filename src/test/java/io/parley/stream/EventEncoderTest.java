package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.chat.Message;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import java.time.Instant;
import java.util.List;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

class EventEncoderTest {

  /** Jersey's own event builder; broadcasters are not needed to encode. */
  static final class JerseyEvents implements Sse {
    @Override
    public OutboundSseEvent.Builder newEventBuilder() {
      return new OutboundEvent.Builder();
    }

    @Override
    public SseBroadcaster newBroadcaster() {
      throw new UnsupportedOperationException();
    }
  }

  private final Jsonb jsonb = JsonbBuilder.create();
  private final EventEncoder encoder = new EventEncoder(new JerseyEvents(), jsonb, 3000);

  @Test
  void messageEventsCarryTheIdAndOneLineOfJson() {
    Message message =
        new Message("abc-1", "lobby", "alice", "two\nlines <b>and html</b>", Instant.parse("2026-11-22T01:02:03.456Z"), false);
    OutboundSseEvent event = encoder.message(message);
    assertEquals("message", event.getName());
    assertEquals("abc-1", event.getId());
    String data = (String) event.getData();
    assertFalse(data.contains("\n"), data);
    assertEquals(message, jsonb.fromJson(data, Message.class));
    assertEquals("{\"author\":\"alice\",\"id\":\"abc-1\",\"integration\":false,\"room\":\"lobby\",\"sentAt\":\"2026-11-22T01:02:03.456Z\","
        + "\"text\":\"two\\nlines <b>and html</b>\"}", data);
  }

  @Test
  void controlEventsHaveNoIdAndConnectedCarriesRetry() {
    OutboundSseEvent connected = encoder.connected("lobby", "c1");
    assertEquals(3000, connected.getReconnectDelay());
    assertNull(connected.getId());
    assertEquals("{\"connectionId\":\"c1\",\"room\":\"lobby\"}", connected.getData());

    OutboundSseEvent reset = encoder.reset("expired", "abc-5");
    assertNull(reset.getId());
    assertEquals("{\"oldestId\":\"abc-5\",\"reason\":\"expired\"}", reset.getData());

    OutboundSseEvent presence = encoder.presence("lobby", List.of("alice", "bob"), "bob", null);
    assertNull(presence.getId());
    assertEquals("{\"joined\":\"bob\",\"online\":[\"alice\",\"bob\"],\"room\":\"lobby\"}", presence.getData());

    assertEquals("ping", encoder.ping().getComment());
    assertNull(encoder.ping().getData());
  }
}
