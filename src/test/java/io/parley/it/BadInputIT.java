package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every bad input of DESIGN.md's table, answered with problem+json and the right status. */
@ExtendWith(SharedServer.class)
class BadInputIT {

  private final Api api;
  private final String room = Api.freshRoom("bad");
  private final String messages = "api/rooms/" + room + "/messages";

  BadInputIT(ParleyServer server) {
    this.api = new Api(server);
  }

  @Test
  void malformedJsonIs400() {
    assertProblem(api.postJson(messages, "{\"author\": \"alice\", "), 400);
    assertProblem(api.postJson(messages, "[1, 2, 3]"), 400);
    assertProblem(api.postJson(messages, ""), 400);
    assertProblem(api.postJson(messages, "null"), 400);
  }

  @Test
  void missingOrEmptyFieldsAre400WithFieldErrors() {
    assertFieldErrors(api.postJson(messages, "{\"text\":\"hi\"}"), "author");
    assertFieldErrors(api.postJson(messages, "{\"author\":\"alice\"}"), "text");
    assertFieldErrors(api.postJson(messages, "{\"author\":\" \",\"text\":\"\"}"), "author", "text");
    assertFieldErrors(api.postForm(messages, Map.of("author", "alice")), "text");
  }

  @Test
  void overLongFieldsAre400() {
    assertFieldErrors(api.postJson(messages, json("a".repeat(33), "hi")), "author");
    assertFieldErrors(api.postJson(messages, json("alice", "x".repeat(2001))), "text");
    Message longest = api.post(room, "a".repeat(32), "x".repeat(2000));
    assertEquals(2000, longest.text().length());
  }

  @Test
  void controlCharactersOtherThanNewlineAndTabAre400() {
    assertFieldErrors(api.postJson(messages, json("alice", "bell \u0007")), "text");
    assertFieldErrors(api.postJson(messages, json("al\nice", "hi")), "author");
    assertFieldErrors(api.postJson(messages, json("alice", "carriage\rreturn")), "text");
    Message multiline = api.post(room, "alice", "line one\n\tline two");
    assertEquals("line one\n\tline two", multiline.text());
  }

  @Test
  void badRoomNamesAre400() {
    for (String bad : List.of("Lobby", "-lobby", "a%20b", "x".repeat(65), "caf%C3%A9")) {
      assertFieldErrors(
          api.postJson("api/rooms/" + bad + "/messages", json("alice", "hi")), "room");
      assertProblem(api.get("api/rooms/" + bad + "/events"), 400);
    }
  }

  @Test
  void bodyOverTheLimitIs413() {
    byte[] big =
        ("{\"author\":\"alice\",\"text\":\"" + "x".repeat(20_000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertProblem(api.send("POST", messages, "application/json", big), 413);
  }

  @Test
  void unsupportedContentTypeIs415() {
    assertProblem(
        api.send("POST", messages, "text/plain", "hi".getBytes(StandardCharsets.UTF_8)), 415);
    assertProblem(
        api.send("POST", messages, "application/xml", "<m/>".getBytes(StandardCharsets.UTF_8)),
        415);
    // A pattern is no body's type (Jersey matched it to the form method, which then failed with 500
    // on Payara)
    assertProblem(
        api.send(
            "POST",
            messages,
            "*/*",
            "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)),
        415);
    assertProblem(
        api.send(
            "POST",
            messages,
            "application/*",
            "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)),
        415);
    assertProblem(
        api.send(
            "POST",
            messages,
            null,
            "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)),
        415);
  }

  @Test
  void unknownPathsWrongMethodsAndUnknownMessagesAreProblems() {
    assertProblem(api.get("api/no/such/path"), 404);
    assertProblem(api.send("DELETE", messages, null, null), 405);
    assertProblem(
        api.send("PUT", "api/rooms", "application/json", "{}".getBytes(StandardCharsets.UTF_8)),
        405);
    assertProblem(api.get(messages + "/zzzzzz-1"), 404);
    assertProblem(api.get(messages + "/not%20an%20id"), 404);
  }

  @Test
  void badHistoryQueriesAreProblems() {
    api.post(room, "alice", "one");
    assertFieldErrors(api.get(messages + "?limit=0"), "limit");
    assertFieldErrors(api.get(messages + "?limit=501"), "limit");
    assertFieldErrors(api.get(messages + "?limit=ten"), "limit");
    assertProblem(api.get(messages + "?after=zzzzzz-9"), 404);
    assertProblem(api.get(messages + "?after=bad%21id"), 400);
  }

  @Test
  void htmlIsStoredAndSentAsPlainText() {
    String payload = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    Message stored = api.post(room, "<b>mallory</b>", payload);
    assertEquals(payload, stored.text());
    HttpResponse<String> one = api.get(messages + "/" + stored.id());
    assertEquals(200, one.statusCode());
    assertTrue(
        one.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
    assertEquals(stored, Api.JSON.fromJson(one.body(), Message.class));
  }

  @Test
  void formPostsWorkLikeJson() {
    HttpResponse<String> created =
        api.postForm(messages, Map.of("author", "bob", "text", "from a form\r\nline two"));
    assertEquals(201, created.statusCode(), created.body());
    Message message = Api.JSON.fromJson(created.body(), Message.class);
    assertEquals("from a form\nline two", message.text());
    assertEquals(
        "/api/rooms/" + room + "/messages/" + message.id(),
        java.net.URI.create(created.headers().firstValue("Location").orElseThrow()).getPath());
  }

  private static String json(String author, String text) {
    return Api.JSON.toJson(Map.of("author", author, "text", text));
  }

  @SuppressWarnings("unchecked")
  private static void assertFieldErrors(HttpResponse<String> response, String... fields) {
    Map<String, Object> problem = assertProblem(response, 400);
    List<Map<String, String>> errors = (List<Map<String, String>>) problem.get("errors");
    List<String> named =
        errors.stream().map(error -> error.get("field")).distinct().sorted().toList();
    assertEquals(List.of(fields), named, response.body());
  }
}
