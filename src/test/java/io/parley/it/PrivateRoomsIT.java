package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static io.parley.it.Problems.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.chat.RoomInfo;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Private rooms over real HTTP: made by a signed-in person, joined with the invite, and to anyone
 * else not there at all (404 for history, a message, posts, the stream, the members; absent from
 * the list of rooms); the owner lists, adds and removes members (a removed member's stream ends)
 * and renews the invite; streams that listened before the room was made private end.
 */
@ExtendWith(SharedServer.class)
class PrivateRoomsIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ParleyServer server;
  private final ParleyServer guarded;
  private final Api api;
  private final String room = Api.freshRoom("private");

  PrivateRoomsIT(ParleyServer server, @SharedServer.Guarded ParleyServer guarded) {
    this.server = server;
    this.guarded = guarded;
    this.api = new Api(server);
  }

  private static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  private static byte[] body(Map<String, Object> fields) {
    return Api.JSON.toJson(fields).getBytes(StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(
      String method, String path, Map<String, String> as, Map<String, Object> fields) {
    Map<String, String> headers = new HashMap<>(as);
    headers.remove("X-Nick");
    if (fields != null) {
      headers.putAll(json());
    }
    return api.sendWith(method, path, headers, fields == null ? null : body(fields));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> create(Map<String, String> owner) {
    HttpResponse<String> made =
        send("POST", "api/rooms", owner, Map.of("name", room, "private", true));
    assertEquals(201, made.statusCode(), made.body());
    return Api.JSON.fromJson(made.body(), Map.class);
  }

  private void assertHidden(Map<String, String> as) {
    String base = "api/rooms/" + room;
    assertProblem(send("GET", base + "/messages", as, null), 404);
    assertProblem(send("POST", base + "/messages", as, Map.of("author", "x", "text", "hi")), 404);
    assertProblem(send("GET", base + "/events", as, null), 404);
    assertProblem(send("GET", base + "/members", as, null), 404);
    assertFalse(
        listed(as).contains(room), "a private room is not listed to those who are not in it");
  }

  private List<String> listed(Map<String, String> as) {
    HttpResponse<String> rooms = send("GET", "api/rooms?limit=1000", as, null);
    assertEquals(200, rooms.statusCode(), rooms.body());
    return Api.JSON.<List<RoomInfo>>fromJson(rooms.body(), Api.listOf(RoomInfo.class)).stream()
        .map(RoomInfo::name)
        .toList();
  }

  @Test
  void aPrivateRoomExistsOnlyForItsMembers() {
    Map<String, String> owner = api.person("owner");
    Map<String, String> member = api.person("member");
    Map<String, String> stranger = api.person("stranger");
    assertProblem(send("POST", "api/rooms", Map.of(), Map.of("name", room, "private", true)), 401);

    Map<String, Object> made = create(owner);
    assertEquals(room, made.get("name"));
    assertEquals(true, made.get("private"));
    assertEquals(owner.get("X-Nick"), made.get("owner"));
    String invite = (String) made.get("invite");
    assertTrue(invite.startsWith("pi_"), invite);
    assertTrue(made.get("inviteUrl").toString().endsWith("?room=" + room + "#invite=" + invite));
    assertEquals(
        "urn:parley:problem:room-name-taken",
        assertProblem(send("POST", "api/rooms", member, Map.of("name", room, "private", true)), 409)
            .get("type"));

    HttpResponse<String> posted =
        send("POST", "api/rooms/" + room + "/messages", owner, Map.of("text", "for us"));
    assertEquals(201, posted.statusCode(), posted.body());
    Message secret = Api.JSON.fromJson(posted.body(), Message.class);

    for (Map<String, String> outside : List.of(Map.<String, String>of(), stranger, member)) {
      assertHidden(outside);
      assertProblem(
          send("GET", "api/rooms/" + room + "/messages/" + secret.id(), outside, null), 404);
    }
    assertProblem(
        send("POST", "api/rooms/" + room + "/members", stranger, Map.of("invite", "pi_wrong")),
        404);

    HttpResponse<String> joined =
        send("POST", "api/rooms/" + room + "/members", member, Map.of("invite", invite));
    assertEquals(200, joined.statusCode(), joined.body());
    HttpResponse<String> history = send("GET", "api/rooms/" + room + "/messages", member, null);
    assertEquals(200, history.statusCode(), history.body());
    assertTrue(history.body().contains("for us"));
    assertTrue(listed(member).contains(room));
    assertHidden(stranger);

    // Only the owner sees and manages members.
    HttpResponse<String> members = send("GET", "api/rooms/" + room + "/members", owner, null);
    assertEquals(200, members.statusCode(), members.body());
    assertTrue(
        members.body().contains(owner.get("X-Nick"))
            && members.body().contains(member.get("X-Nick")),
        members.body());
    assertEquals(
        "urn:parley:problem:owner-only",
        assertProblem(send("GET", "api/rooms/" + room + "/members", member, null), 403)
            .get("type"));

    // A renewed invite: the old one lets nobody in any more.
    HttpResponse<String> renewed = send("POST", "api/rooms/" + room + "/invite", owner, Map.of());
    assertEquals(200, renewed.statusCode(), renewed.body());
    assertProblem(
        send("POST", "api/rooms/" + room + "/members", stranger, Map.of("invite", invite)), 404);
    HttpResponse<String> added =
        send(
            "POST",
            "api/rooms/" + room + "/members",
            owner,
            Map.of("nick", stranger.get("X-Nick")));
    assertEquals(201, added.statusCode(), added.body());
    assertEquals(200, send("GET", "api/rooms/" + room + "/messages", stranger, null).statusCode());
    assertFalse(server.logs().contains(invite.substring(3)), "an invite is in the logs");
  }

  @Test
  void aRemovedMembersStreamEndsAndTheRoomIsGoneForThem() {
    Map<String, String> owner = api.person("owner");
    Map<String, String> member = api.person("member");
    String invite = (String) create(owner).get("invite");
    assertEquals(
        200,
        send("POST", "api/rooms/" + room + "/members", member, Map.of("invite", invite))
            .statusCode());
    Map<String, String> memberAuth = Map.of("Authorization", member.get("Authorization"));
    try (SseClient stream =
        SseClient.openWith(server, "api/rooms/" + room + "/events", memberAuth)) {
      assertEquals(200, stream.status());
      stream.next(event -> event.is("presence"), WAIT);
      assertProblem(
          send("DELETE", "api/rooms/" + room + "/members/" + owner.get("X-Nick"), owner, null),
          403); // the owner stays
      assertEquals(
          204,
          send("DELETE", "api/rooms/" + room + "/members/" + member.get("X-Nick"), owner, null)
              .statusCode());
      SseEvent shutdown = stream.next(event -> event.is("shutdown"), WAIT);
      assertTrue(shutdown.data().contains("\"reason\":\"removed\""), shutdown.data());
      assertTrue(stream.awaitEnd(WAIT));
    }
    assertHidden(member);
  }

  @Test
  void streamsThatListenedBeforeTheRoomWasMadePrivateEnd() {
    try (SseClient listener = SseClient.open(server, "api/rooms/" + room + "/events", null)) {
      listener.next(event -> event.is("presence"), WAIT);
      create(api.person("owner"));
      assertTrue(listener.next(event -> event.is("shutdown"), WAIT).data().contains("removed"));
      assertTrue(listener.awaitEnd(WAIT));
    }
    assertHidden(Map.of());
  }

  @Test
  void aPublicRoomWithMessagesCannotBeMadePrivateAndBadRequestsAreClear() {
    Map<String, String> owner = api.person("owner");
    api.post(room, "alice", "public already");
    assertProblem(send("POST", "api/rooms", owner, Map.of("name", room, "private", true)), 409);
    assertProblem(send("POST", "api/rooms", owner, Map.of("name", room + "-b")), 400);
    assertProblem(
        send("POST", "api/rooms", owner, Map.of("name", "Not A Room", "private", true)), 400);
    assertProblem(send("POST", "api/rooms", owner, Map.of("name", room, "private", "yes")), 400);
  }

  @Test
  void inviteGuessesArePerClientRateLimited() {
    Api limited = new Api(guarded);
    HttpResponse<String> started =
        limited.sendWith(
            "POST",
            "api/sessions",
            Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.72.0.1"),
            body(Map.of("nick", "guesser" + UUID.randomUUID().toString().substring(0, 6))));
    assertEquals(201, started.statusCode(), started.body());
    String token = Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
    HttpResponse<String> answer;
    int tries = 0;
    do {
      answer =
          limited.sendWith(
              "POST",
              "api/rooms/" + room + "/members",
              Map.of(
                  "Content-Type",
                  "application/json",
                  "Authorization",
                  "Bearer " + token,
                  "X-Forwarded-For",
                  "10.72.0.1"),
              body(Map.of("invite", "pi_guess" + tries)));
      tries++;
    } while (answer.statusCode() == 404 && tries < 50);
    assertRetryAfter(answer, 429);
    assertTrue(tries >= 10 && tries <= 13, "the burst, then refused: " + tries);
  }
}
