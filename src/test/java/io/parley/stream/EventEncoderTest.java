package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Deletion;
import io.parley.core.Edit;
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
        Message.posted(
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
        "{\"author\":\"alice\",\"id\":\"abc-1\",\"integration\":false,\"mentions\":[],\"room\":\"lobby\",\"sentAt\":\"2026-11-22T01:02:03.456Z\","
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
        Message.posted(
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

  @Test
  void editsAndDeletionsAreLogEventsAndWhatIsGoneIsSentAsItsIdAlone() {
    Instant at = Instant.parse("2026-11-22T01:02:03.456Z");
    Edit edit = new Edit("abc-2", "lobby", "abc-1", "alice", "hi @bob", at, false);
    OutboundSseEvent live = encoder.live(edit);
    assertEquals("edit", live.getName());
    assertEquals("abc-2", live.getId());
    assertEquals(
        "{\"editedAt\":\"2026-11-22T01:02:03.456Z\",\"id\":\"abc-2\",\"mentions\":[\"bob\"],"
            + "\"room\":\"lobby\",\"target\":\"abc-1\",\"text\":\"hi @bob\"}",
        live.getData());
    OutboundSseEvent deletion = encoder.live(new Deletion("abc-3", "lobby", "abc-1", "mod", at));
    assertEquals("delete", deletion.getName());
    assertEquals("abc-3", deletion.getId());
    assertEquals(
        "{\"by\":\"mod\",\"id\":\"abc-3\",\"room\":\"lobby\",\"target\":\"abc-1\"}",
        deletion.getData());

    assertEquals("edit", encoder.replayed(edit, false).getName(), "a resume replays edits");
    EncodedEvent passed = encoder.replayed(edit, true);
    assertEquals(
        ": passed\nid: abc-2\n\n",
        new String(passed.frame(), StandardCharsets.UTF_8),
        "a first connect's messages show the edit already: it moves Last-Event-ID only");
    Message removed = Message.posted("abc-1", "lobby", "alice", "x", at, false).deleted("mod", at);
    assertEquals(
        ": passed\nid: abc-1\n\n",
        new String(encoder.replayed(removed, false).frame(), StandardCharsets.UTF_8));
    assertEquals(
        ": passed\nid: abc-2\n\n",
        new String(encoder.replayed(edit.withdraw(), false).frame(), StandardCharsets.UTF_8));
  }

  @Test
  void typingAndBannedHaveNoId() {
    OutboundSseEvent typing = encoder.typing("lobby", List.of("alice", "bob"));
    assertEquals("typing", typing.getName());
    assertNull(typing.getId());
    assertEquals("{\"room\":\"lobby\",\"typing\":[\"alice\",\"bob\"]}", typing.getData());
    OutboundSseEvent banned = encoder.banned("lobby", Instant.parse("2026-11-22T01:02:03Z"));
    assertEquals("banned", banned.getName());
    assertNull(banned.getId());
  }
}
