package io.parley.it;

import static io.parley.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Idempotency-Key} on posts: a retry is answered as the first post was and stores nothing;
 * the key with another body is 422; duplicates racing each other store one message; keys are per
 * poster (an integration's token, else the client's address). On the guarded server, where
 * 127.0.0.1 is a trusted proxy, so each test posts from an address of its own.
 */
@ExtendWith(SharedServer.class)
class IdempotencyIT {

  private final Api api;
  private final String room = Api.freshRoom("idempotency");
  private final String messages = "api/rooms/" + room + "/messages";

  IdempotencyIT(@SharedServer.Guarded ParleyServer server) {
    this.api = new Api(server);
  }

  @Test
  void aRetryWithTheSameKeyIsAnsweredAsTheFirstAndStoresNothing() {
    String client = freshAddress();
    String key = UUID.randomUUID().toString();
    HttpResponse<String> first = post(client, key, null, "alice", "only once");
    assertEquals(201, first.statusCode(), first.body());
    assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
    HttpResponse<String> again = post(client, key, null, "alice", "only once");
    assertEquals(201, again.statusCode(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    assertEquals(
        Api.JSON.fromJson(first.body(), Message.class),
        Api.JSON.fromJson(again.body(), Message.class));
    assertEquals(first.headers().firstValue("Location"), again.headers().firstValue("Location"));
    assertEquals(List.of("only once"), texts());
  }

  @Test
  void theSameKeyWithAnotherBodyIs422AndStoresNothing() {
    String client = freshAddress();
    String key = "retry-" + UUID.randomUUID();
    assertEquals(201, post(client, key, null, "alice", "the first").statusCode());
    Map<String, Object> problem =
        assertProblem(post(client, key, null, "alice", "something else"), 422);
    assertEquals("urn:parley:problem:idempotency-key-reused", problem.get("type"));
    assertEquals(List.of("the first"), texts());
  }

  @Test
  void aKeyThatIsNotOneToSixtyFourUrlSafeCharactersIs400() {
    for (String bad : List.of("x".repeat(65), "with space", "slash/es", "ü")) {
      Map<String, Object> problem =
          assertProblem(post(freshAddress(), bad, null, "alice", "hello"), 400);
      assertTrue(
          String.valueOf(problem.get("errors")).contains("Idempotency-Key"), problem.toString());
    }
    assertEquals(List.of(), texts());
  }

  /**
   * Many copies of one post at once (an integration retrying hard): one message, every answer the
   * same.
   */
  @Test
  void concurrentDuplicatesStoreOneMessage() throws Exception {
    String key = UUID.randomUUID().toString();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpResponse<String>>> copies = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      copies.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return post(freshAddress(), key, SharedServer.BOT_TOKEN, null, "deployed v1.2.3");
              }));
    }
    go.countDown();
    Set<String> ids = new java.util.HashSet<>();
    int replayed = 0;
    for (CompletableFuture<HttpResponse<String>> copy : copies) {
      HttpResponse<String> response = copy.get();
      assertEquals(201, response.statusCode(), response.body());
      ids.add(Api.JSON.fromJson(response.body(), Message.class).id());
      replayed += response.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
    }
    assertEquals(1, ids.size(), "one message for every copy: " + ids);
    assertEquals(11, replayed);
    assertEquals(List.of("deployed v1.2.3"), texts());
  }

  /**
   * A key belongs to its poster: another client, or an integration, using the same key posts its
   * own message.
   */
  @Test
  void keysArePerPoster() {
    String key = "shared-" + UUID.randomUUID();
    assertEquals(201, post(freshAddress(), key, null, "alice", "from one client").statusCode());
    HttpResponse<String> other = post(freshAddress(), key, null, "bob", "from another client");
    assertEquals(201, other.statusCode(), other.body());
    assertFalse(other.headers().firstValue("Idempotent-Replayed").isPresent());
    HttpResponse<String> bot =
        post(freshAddress(), key, SharedServer.BOT_TOKEN, null, "from the bot");
    assertEquals(201, bot.statusCode(), bot.body());
    assertFalse(bot.headers().firstValue("Idempotent-Replayed").isPresent());
    assertEquals(
        Set.of("from one client", "from another client", "from the bot"), Set.copyOf(texts()));
  }

  private HttpResponse<String> post(
      String client, String key, String token, String author, String text) {
    Map<String, String> headers =
        new HashMap<>(
            Map.of(
                "Content-Type",
                "application/json",
                "X-Forwarded-For",
                client,
                "Idempotency-Key",
                key));
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    Map<String, String> body = new HashMap<>(Map.of("text", text));
    if (author != null) {
      body.put("author", author);
    }
    return api.sendWith(
        "POST", messages, headers, Api.JSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private List<String> texts() {
    return api.history(room, "?limit=50").stream().map(Message::text).collect(Collectors.toList());
  }

  /**
   * A documentation address (RFC 5737) of this test's own: no other test posts from
   * 198.51.100.0/24.
   */
  private static String freshAddress() {
    return "198.51.100." + ADDRESSES.incrementAndGet();
  }

  private static final java.util.concurrent.atomic.AtomicInteger ADDRESSES =
      new java.util.concurrent.atomic.AtomicInteger();
}
