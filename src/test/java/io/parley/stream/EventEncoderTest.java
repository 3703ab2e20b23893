package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventEncoderTest {

  private final Jsonb jsonb = JsonbBuilder.create();
  private final EventEncoder encoder = new EventEncoder(jsonb, 3000);

  @Test
  void messageEventsCarryTheIdAndOneLineOfJson() {
    Message message =
        new Message(
            "abc-1",
            "lobby",
            "alice",
            "two\nlines <b>and html</b>",
            Instant.parse("2026-11-22T01:02:03.456Z"),
            false);
    OutboundSseEvent event = encoder.message(message);
    assertEquals("message", event.getName());
    assertEquals("abc-1", event.getId());
    String data = (String) event.getData();
    assertFalse(data.contains("\n"), data);
    assertEquals(message, jsonb.fromJson(data, Message.class));
    assertEquals(
        "{\"author\":\"alice\",\"id\":\"abc-1\",\"integration\":false,\"room\":\"lobby\",\"sentAt\":\"2026-11-22T01:02:03.456Z\","
            + "\"text\":\"two\\nlines <b>and html</b>\"}",
        data);
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
    assertEquals(
        "{\"joined\":\"bob\",\"online\":[\"alice\",\"bob\"],\"room\":\"lobby\"}",
        presence.getData());

    assertEquals("ping", encoder.ping().getComment());
    assertNull(encoder.ping().getData());
  }

  @Test
  void eachEventIsWrittenOnceAsSseText() {
    assertEquals(
        "event: connected\nretry: 3000\ndata: {\"connectionId\":\"c1\",\"room\":\"lobby\"}\n\n",
        new String(encoder.connected("lobby", "c1").frame(), StandardCharsets.UTF_8));
    assertEquals(": ping\n\n", new String(encoder.ping().frame(), StandardCharsets.UTF_8));
    Message message =
        new Message(
            "abc-1",
            "lobby",
            "alice",
            "hé\nthere",
            Instant.parse("2026-11-22T01:02:03.456Z"),
            false);
    String frame = new String(encoder.message(message).frame(), StandardCharsets.UTF_8);
    assertTrue(frame.startsWith("event: message\nid: abc-1\ndata: {"), frame);
    assertTrue(frame.endsWith("}\n\n") && frame.split("\n").length == 3, frame);
  }
}
