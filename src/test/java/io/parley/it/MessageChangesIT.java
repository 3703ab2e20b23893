package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static io.parley.it.Problems.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages that change, over real HTTP on every container: edits and deletions by their authors,
 * moderators' deletions and bans, who may do what (author, someone else, an integration, a
 * moderator, after the edit window, banned), the stream's {@code edit}, {@code delete}, {@code
 * typing} and {@code banned} events, resume across changes, unread counts and mentions, and
 * idempotency keys.
 */
@ExtendWith(SharedServer.class)
class MessageChangesIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ParleyServer server;
  private final ParleyServer guarded;
  private final Api api;
  private final String room = Api.freshRoom("changes");
  private final String messages = "api/rooms/" + room + "/messages";

  MessageChangesIT(ParleyServer server, @SharedServer.Guarded ParleyServer guarded) {
    this.server = server;
    this.guarded = guarded;
    this.api = new Api(server);
  }

  private static final Map<String, String> MODERATOR =
      Map.of("Authorization", "Bearer " + SharedServer.MODERATOR_TOKEN);

  private static final Map<String, String> BOT =
      Map.of("Authorization", "Bearer " + SharedServer.BOT_TOKEN);

  private static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  private static byte[] body(Map<String, Object> fields) {
    return Api.JSON.toJson(fields).getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(
      Api on, String method, String path, Map<String, String> as, Map<String, Object> fields) {
    Map<String, String> headers = new HashMap<>(as);
    headers.remove("X-Nick");
    if (fields != null) {
      headers.putAll(json());
    }
    return on.sendWith(method, path, headers, fields == null ? null : body(fields));
  }

  private HttpResponse<String> send(
      String method, String path, Map<String, String> as, Map<String, Object> fields) {
    return send(api, method, path, as, fields);
  }

  private Message post(Map<String, String> as, String text) {
    HttpResponse<String> posted =
        send("POST", messages, as, Map.of("author", "anyone", "text", text));
    assertEquals(201, posted.statusCode(), posted.body());
    return Api.JSON.fromJson(posted.body(), Message.class);
  }

  private HttpResponse<String> edit(Map<String, String> as, String id, String text) {
    return send("PATCH", messages + "/" + id, as, Map.of("text", text));
  }

  private HttpResponse<String> delete(Map<String, String> as, String id) {
    return send("DELETE", messages + "/" + id, as, null);
  }

  private List<Message> history(Map<String, String> as, String query) {
    HttpResponse<String> read = send("GET", messages + query, as, null);
    assertEquals(200, read.statusCode(), read.body());
    return Api.JSON.fromJson(read.body(), Api.listOf(Message.class));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> data(SseEvent event) {
    return Api.JSON.fromJson(event.data(), Map.class);
  }

  @Test
  void anAuthorEditsAndDeletesTheirMessageAndStreamsAndHistoryFollow() {
    Map<String, String> alice = api.person("alice");
    Message first = post(alice, "helo wrld");
    Message second = post(alice, "to be deleted");
    try (SseClient stream = SseClient.open(server, "/api/rooms/" + room + "/events", null)) {
      stream.messages(2, WAIT);

      HttpResponse<String> edited = edit(alice, first.id(), "hello @world");
      assertEquals(200, edited.statusCode(), edited.body());
      Message now = Api.JSON.fromJson(edited.body(), Message.class);
      assertEquals("hello @world", now.text());
      assertNotNull(now.editedAt());
      assertEquals(List.of("world"), now.mentions());
      assertEquals(first.sentAt(), now.sentAt());

      SseEvent edit = stream.next(event -> event.is("edit"), WAIT);
      assertNotNull(edit.id(), "an edit is a log entry: it has an id");
      assertEquals(first.id(), data(edit).get("target"));
      assertEquals("hello @world", data(edit).get("text"));

      assertEquals(204, delete(alice, second.id()).statusCode());
      SseEvent deletion = stream.next(event -> event.is("delete"), WAIT);
      assertNotNull(deletion.id());
      assertEquals(second.id(), data(deletion).get("target"));
      assertEquals(alice.get("X-Nick"), data(deletion).get("by"));
    }
    List<Message> history = history(Map.of(), "");
    assertEquals(List.of(first.id()), history.stream().map(Message::id).toList());
    assertEquals("hello @world", history.get(0).text());
    assertNotNull(history.get(0).editedAt());
    assertProblem(send("GET", messages + "/" + second.id(), Map.of(), null), 404);
    assertProblem(delete(alice, second.id()), 404);
    assertProblem(edit(alice, second.id(), "back"), 404);

    // Scrolling back: the messages before an id, as they stand.
    Message third = post(alice, "third");
    assertEquals(
        List.of(first.id()),
        history(Map.of(), "?before=" + third.id() + "&limit=5").stream().map(Message::id).toList());
    assertProblem(send("GET", messages + "?before=x%20y", Map.of(), null), 400);

    // Moderators see tombstones; nobody else may ask for them.
    assertProblem(send("GET", messages + "?include=deleted", alice, null), 403);
    List<Message> all = history(MODERATOR, "?include=deleted");
    Message tombstone = all.get(1);
    assertEquals(second.id(), tombstone.id());
    assertNotNull(tombstone.deletedAt());
    assertEquals(alice.get("X-Nick"), tombstone.deletedBy());
    assertEquals("", tombstone.text());
  }

  @Test
  void onlyTheAuthorEditsAndModeratorsDeleteAnything() {
    Map<String, String> alice = api.person("alice");
    Map<String, String> bob = api.person("bob");
    Message hers = post(alice, "alice's");
    assertEquals(
        "urn:parley:problem:not-author",
        assertProblem(edit(bob, hers.id(), "mine now"), 403).get("type"));
    assertProblem(edit(Map.of(), hers.id(), "anonymous"), 403);
    assertProblem(delete(bob, hers.id()), 403);
    assertProblem(edit(MODERATOR, hers.id(), "moderators delete, not edit"), 403);

    assertProblem(edit(alice, hers.id(), ""), 400);
    assertProblem(send("PATCH", messages + "/no-such-1", alice, Map.of("text", "x")), 404);

    double before =
        Metrics.scrape(api).value("parley_moderation_actions_total", "action=\"delete\"");
    assertEquals(204, delete(MODERATOR, hers.id()).statusCode());
    assertEquals(
        before + 1,
        Metrics.scrape(api).value("parley_moderation_actions_total", "action=\"delete\""));
    assertEquals(List.of(), history(Map.of(), ""));
  }

  /** An integration edits its own posts, and nobody else's; people may not edit its posts. */
  @Test
  void anIntegrationEditsItsOwnPostsOnly() {
    Api on = new Api(guarded);
    String path = "api/rooms/" + room + "/messages";
    Map<String, String> alice = new HashMap<>(on.person("alice"));
    alice.put("X-Forwarded-For", "203.0.113.72");
    HttpResponse<String> hers = send(on, "POST", path, alice, Map.of("text", "alice's"));
    assertEquals(201, hers.statusCode(), hers.body());
    String herId = Api.JSON.fromJson(hers.body(), Message.class).id();
    HttpResponse<String> bots = send(on, "POST", path, BOT, Map.of("text", "from the bot"));
    assertEquals(201, bots.statusCode(), bots.body());
    String botId = Api.JSON.fromJson(bots.body(), Message.class).id();

    assertProblem(send(on, "PATCH", path + "/" + herId, BOT, Map.of("text", "a bot")), 403);
    HttpResponse<String> edited =
        send(on, "PATCH", path + "/" + botId, BOT, Map.of("text", "from the bot, edited"));
    assertEquals(200, edited.statusCode(), edited.body());
    assertTrue(Api.JSON.fromJson(edited.body(), Message.class).integration());
    assertProblem(send(on, "PATCH", path + "/" + botId, alice, Map.of("text", "mine")), 403);
    assertEquals(204, send(on, "DELETE", path + "/" + botId, BOT, null).statusCode());
  }

  @Test
  void theEditWindowCloses() {
    Api on = new Api(guarded);
    Map<String, String> alice = new HashMap<>(on.person("alice"));
    alice.put("X-Forwarded-For", "203.0.113.71");
    String path = "api/rooms/" + room + "/messages";
    HttpResponse<String> posted = send(on, "POST", path, alice, Map.of("text", "quick"));
    assertEquals(201, posted.statusCode(), posted.body());
    Message message = Api.JSON.fromJson(posted.body(), Message.class);
    HttpResponse<String> inTime =
        send(on, "PATCH", path + "/" + message.id(), alice, Map.of("text", "quick, edited"));
    assertEquals(200, inTime.statusCode(), inTime.body());
    Instant closes = message.sentAt().plusSeconds(SharedServer.EDIT_WINDOW_SECONDS);
    Await.until(
        "the window of " + SharedServer.EDIT_WINDOW_SECONDS + " s closes (same clock)",
        Duration.ofSeconds(SharedServer.EDIT_WINDOW_SECONDS * 4L),
        () -> Instant.now().isAfter(closes.plusMillis(100)));
    assertEquals(
        "urn:parley:problem:edit-window-closed",
        assertProblem(
                send(on, "PATCH", path + "/" + message.id(), alice, Map.of("text", "late")), 403)
            .get("type"));
    assertProblem(send(on, "DELETE", path + "/" + message.id(), alice, null), 403);
    Map<String, String> moderator = new HashMap<>(MODERATOR);
    moderator.put("X-Forwarded-For", "203.0.113.73");
    assertEquals(
        204,
        send(on, "DELETE", path + "/" + message.id(), moderator, null).statusCode(),
        "a moderator deletes at any time");
  }

  /**
   * From every point of a sequence of messages, edits and deletions, a stream that resumes gets
   * every entry after it in order (what is deleted as its id alone), and a client that applies them
   * to what it had ends with the room as history shows it.
   */
  @Test
  void aResumeFromEveryPointReplaysTheChangesInOrder() {
    Map<String, String> alice = api.person("alice");
    List<String> ids = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    try (SseClient live = SseClient.open(server, "/api/rooms/" + room + "/events", null)) {
      Message a = post(alice, "a");
      Message b = post(alice, "b");
      assertEquals(200, edit(alice, a.id(), "a2").statusCode());
      Message c = post(alice, "c");
      assertEquals(204, delete(alice, b.id()).statusCode());
      assertEquals(200, edit(alice, c.id(), "c2").statusCode());
      assertEquals(200, edit(alice, a.id(), "a3").statusCode());
      assertEquals(204, delete(alice, c.id()).statusCode());
      while (ids.size() < 8) {
        SseEvent event = live.next(e -> e.is("message") || e.is("edit") || e.is("delete"), WAIT);
        ids.add(event.id());
        kinds.add(event.type());
      }
    }
    assertEquals(
        List.of("message", "message", "edit", "message", "delete", "edit", "edit", "delete"),
        kinds,
        "live, every change in its order");
    // b and c are deleted, and so is the edit of c: a resume sends each as its id alone.
    List<Integer> gone = List.of(1, 3, 5);
    for (int point = 0; point < ids.size(); point++) {
      List<String> expected = new ArrayList<>();
      for (int i = point + 1; i < ids.size(); i++) {
        expected.add(gone.contains(i) ? "passed" : kinds.get(i) + " " + ids.get(i));
      }
      try (SseClient resumed =
          SseClient.open(server, "/api/rooms/" + room + "/events", ids.get(point))) {
        resumed.next(event -> event.is("presence"), WAIT);
        if (point < ids.size() - 1) {
          Await.until(
              "the resume after " + point + " reaches the end",
              WAIT,
              () -> ids.get(ids.size() - 1).equals(resumed.lastEventId()));
        }
        List<String> got = new ArrayList<>();
        for (SseEvent event : resumed.drain()) {
          if (event.is("message") || event.is("edit") || event.is("delete")) {
            got.add(event.type() + " " + event.id());
          } else if (event.is("comment") && "passed".equals(event.data())) {
            got.add("passed");
          }
        }
        assertEquals(expected, got, "resumed after entry " + point);
      }
    }
    List<Message> standing = history(Map.of(), "");
    assertEquals(1, standing.size());
    assertEquals("a3", standing.get(0).text());
  }

  @Test
  void aBanEndsTheStreamsAndRefusesPostsUntilItIsLifted() {
    Map<String, String> mallory = api.person("mallory");
    String nick = mallory.get("X-Nick");
    String bans = "api/rooms/" + room + "/bans";
    assertEquals(
        "urn:parley:problem:moderators-only",
        assertProblem(send("POST", bans, mallory, Map.of("nick", "x", "minutes", 5)), 403)
            .get("type"));
    try (SseClient stream =
        SseClient.openWith(
            server,
            "/api/rooms/" + room + "/events",
            Map.of("Authorization", mallory.get("Authorization")))) {
      stream.next(event -> event.is("presence"), WAIT);
      HttpResponse<String> banned =
          send(
              "POST",
              bans,
              MODERATOR,
              Map.of("nick", nick.toUpperCase(java.util.Locale.ROOT), "minutes", 10));
      assertEquals(201, banned.statusCode(), banned.body());
      SseEvent last = stream.next(event -> event.is("banned"), WAIT);
      assertNull(last.id());
      assertTrue(stream.awaitEnd(WAIT), "the banned nick's stream ends");
    }
    HttpResponse<String> refused = send("POST", messages, mallory, Map.of("text", "let me in"));
    assertEquals("urn:parley:problem:banned", assertProblem(refused, 403).get("type"));
    long retryAfter = assertRetryAfter(refused, 403);
    assertTrue(retryAfter > 500 && retryAfter <= 600, "the time left: " + retryAfter);
    assertProblem(send("GET", "api/rooms/" + room + "/events", mallory, null), 403);
    assertProblem(send("POST", messages, Map.of(), Map.of("author", nick, "text", "x")), 403);

    HttpResponse<String> listed = send("GET", bans, MODERATOR, null);
    assertEquals(200, listed.statusCode(), listed.body());
    assertTrue(listed.body().contains(SharedServer.MODERATOR), listed.body());
    assertProblem(send("GET", bans, mallory, null), 403);

    assertEquals(204, send("DELETE", bans + "/" + nick, MODERATOR, null).statusCode());
    assertProblem(send("DELETE", bans + "/" + nick, MODERATOR, null), 404);
    assertEquals(201, send("POST", messages, mallory, Map.of("text", "back")).statusCode());
    assertProblem(send("POST", bans, MODERATOR, Map.of("nick", nick, "minutes", 0)), 400);
    assertProblem(send("POST", bans, MODERATOR, Map.of("nick", nick, "minutes", "ten")), 400);
  }

  @Test
  void typingIsToldToTheRoomAndEndsWhenThePersonPosts() {
    Map<String, String> alice = api.person("alice");
    String nick = alice.get("X-Nick");
    try (SseClient stream = SseClient.open(server, "/api/rooms/" + room + "/events", null)) {
      stream.next(event -> event.is("presence"), WAIT);
      assertEquals(
          204, send("POST", "api/rooms/" + room + "/typing", alice, Map.of()).statusCode());
      SseEvent typing = stream.next(event -> event.is("typing"), WAIT);
      assertNull(typing.id(), "typing is not stored");
      assertEquals(List.of(nick), data(typing).get("typing"));
      post(alice, "done typing");
      SseEvent stopped = stream.next(event -> event.is("typing"), WAIT);
      assertEquals(List.of(), data(stopped).get("typing"));

      // Someone not signed in types under a nick that must be theirs to use.
      assertEquals(
          204,
          send("POST", "api/rooms/" + room + "/typing", Map.of(), Map.of("nick", "guest-x"))
              .statusCode());
      assertProblem(send("POST", "api/rooms/" + room + "/typing", Map.of(), Map.of()), 400);
      assertProblem(
          send("POST", "api/rooms/" + room + "/typing", Map.of(), Map.of("nick", nick)), 403);
    }
  }

  @Test
  void unreadCountsAndMentionsForRoomsNotStreamed() {
    Map<String, String> alice = api.person("alice");
    Map<String, String> bob = api.person("bob");
    String quiet = Api.freshRoom("unread");
    Message seen = post(alice, "seen");
    for (int i = 0; i < 3; i++) {
      post(alice, "unseen " + i);
    }
    Message named = post(alice, "hey @" + bob.get("X-Nick"));
    HttpResponse<String> quietPost =
        send("POST", "api/rooms/" + quiet + "/messages", alice, Map.of("text", "elsewhere"));
    Message other = Api.JSON.fromJson(quietPost.body(), Message.class);
    assertEquals(204, delete(alice, named.id()).statusCode());
    Message namedAgain = post(alice, "again @" + bob.get("X-Nick"));

    HttpResponse<String> unread =
        send(
            "GET",
            "api/rooms?unreadAfter=" + room + ":" + seen.id() + "," + quiet + ":" + other.id(),
            bob,
            null);
    assertEquals(200, unread.statusCode(), unread.body());
    List<Map<String, Object>> rooms = Api.JSON.fromJson(unread.body(), Api.listOf(Map.class));
    assertEquals(room, rooms.get(0).get("name"));
    assertEquals(4, ((Number) rooms.get(0).get("unread")).intValue(), "the deleted one is not");
    assertEquals(true, rooms.get(0).get("mentioned"));
    assertEquals(namedAgain.id(), rooms.get(0).get("lastMessageId"));
    assertEquals(0, ((Number) rooms.get(1).get("unread")).intValue());
    assertEquals(false, rooms.get(1).get("mentioned"));

    assertProblem(send("GET", "api/rooms?unreadAfter=" + room, bob, null), 400);
  }

  @Test
  void editsDeletionsAndBansUnderAnIdempotencyKeyHappenOnce() {
    Map<String, String> alice = api.person("alice");
    Message message = post(alice, "one");
    Map<String, String> keyed = new HashMap<>(alice);
    keyed.put("Idempotency-Key", "edit-" + UUID.randomUUID());
    HttpResponse<String> first = edit(keyed, message.id(), "two");
    HttpResponse<String> again = edit(keyed, message.id(), "two");
    assertEquals(200, again.statusCode(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
    assertEquals(422, edit(keyed, message.id(), "three").statusCode());

    keyed.put("Idempotency-Key", "delete-" + UUID.randomUUID());
    assertEquals(204, delete(keyed, message.id()).statusCode());
    HttpResponse<String> deletedAgain = delete(keyed, message.id());
    assertEquals(204, deletedAgain.statusCode(), deletedAgain.body());
    assertEquals("true", deletedAgain.headers().firstValue("Idempotent-Replayed").orElse(null));

    Map<String, String> moderator = new HashMap<>(MODERATOR);
    moderator.put("Idempotency-Key", "ban-" + UUID.randomUUID());
    String bans = "api/rooms/" + room + "/bans";
    HttpResponse<String> ban =
        send("POST", bans, moderator, Map.of("nick", "spam-x", "minutes", 5));
    HttpResponse<String> banAgain =
        send("POST", bans, moderator, Map.of("nick", "spam-x", "minutes", 5));
    assertEquals(201, banAgain.statusCode(), banAgain.body());
    assertEquals(ban.body(), banAgain.body(), "the first ban's answer, its end unchanged");
    assertEquals("true", banAgain.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertProblem(send("POST", bans, moderator, Map.of("nick", "spam-y", "minutes", 5)), 422);
  }
}
