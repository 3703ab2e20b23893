package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.chat.Message;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Messages acknowledged with 201 survive SIGKILL, and resume across the restart is exact. A
 * graceful stop ends every stream cleanly, with a short {@code retry:}, and loses no
 * acknowledged message, even one posted while the server stops.
 */
class RestartIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void acknowledgedMessagesSurviveKillDashNineAndResumeStaysExact() {
    try (ParleyServer server = new ParleyServer("restart", Map.of("parley.heartbeat.seconds", "1")).start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("durable");
      String events = "api/rooms/" + room + "/events";
      List<Message> posted = new ArrayList<>();
      String lastSeen;
      try (SseClient client = SseClient.open(server, events, null)) {
        for (int i = 0; i < 20; i++) {
          posted.add(api.post(room, "alice", "before the crash " + i));
        }
        lastSeen = client.messages(8, WAIT).get(7).id();
        server.kill();
        client.awaitEnd(WAIT);
      }

      server.start();
      api = new Api(server);
      assertEquals(posted, api.history(room, "?limit=100"), "every acknowledged message, as it was");

      try (SseClient resumed = SseClient.open(server, events, lastSeen)) {
        assertEquals(StreamIT.ids(posted.subList(8, 20)), StreamIT.eventIds(resumed.messages(12, WAIT)));
        Message after = api.post(room, "alice", "after the restart");
        assertEquals(after.id(), resumed.next(event -> event.is("message"), WAIT).id());
      }
    }
  }

  @Test
  void aGracefulStopEndsStreamsCleanlyAndLosesNoAcknowledgedMessage() throws Exception {
    try (ParleyServer server = new ParleyServer("graceful", Map.of("parley.heartbeat.seconds", "1")).start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("graceful");
      String events = "api/rooms/" + room + "/events";
      List<Message> acknowledged = Collections.synchronizedList(new ArrayList<>());
      List<SseClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(SseClient.open(server, events, null));
        }
        for (int i = 0; i < 10; i++) {
          acknowledged.add(api.post(room, "alice", "before the stop " + i));
        }
        for (SseClient client : clients) {
          client.messages(10, WAIT);
        }
        // Someone keeps posting while the server stops: whatever was answered 201 must survive.
        Api poster = api;
        Thread posting = new Thread(() -> {
          for (int i = 0; ; i++) {
            HttpResponse<String> response;
            try {
              response = poster.postJson("api/rooms/" + room + "/messages",
                  Api.JSON.toJson(Map.of("author", "bob", "text", "while stopping " + i)));
            } catch (RuntimeException e) {
              return; // the server is gone
            }
            if (response.statusCode() == 201) {
              acknowledged.add(Api.JSON.fromJson(response.body(), Message.class));
            }
          }
        });
        posting.start();
        Await.until("a post while running", WAIT, () -> acknowledged.size() > 12);
        server.stop();
        posting.join(WAIT.toMillis());
        String logs = server.logs();
        // H2's own shutdown hook used to close the store under requests still being finished.
        assertTrue(!logs.contains("Database is already closed"), "the store closed before the server stopped");
        assertTrue(!logs.contains("NoClassDefFoundError"), "something ran after the application had stopped");

        for (SseClient client : clients) {
          assertTrue(client.awaitEnd(WAIT), "the stream ended");
          assertTrue(client.endedCleanly(), "the stream ended with its last chunk, not a dropped connection");
          List<SseEvent> tail = client.drain();
          SseEvent goodbye = tail.get(tail.size() - 1);
          assertEquals("shutdown", goodbye.type(), "the last event: " + goodbye);
          assertTrue(goodbye.retry() != null && goodbye.retry() < 1000, "come back soon: " + goodbye.retry());
        }
      } finally {
        clients.forEach(SseClient::close);
      }

      server.start();
      List<Message> stored = new Api(server).history(room, "?limit=500");
      for (Message message : List.copyOf(acknowledged)) {
        assertTrue(stored.contains(message), "acknowledged but lost: " + message);
      }
    }
  }
}
