package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Messages acknowledged with 201 survive SIGKILL, and resume across the restart is exact. A
 * graceful stop ends every stream cleanly, with a short {@code retry:}, and loses no acknowledged
 * message, even one posted while the server stops.
 */
class RestartIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void acknowledgedMessagesSurviveKillDashNineAndResumeStaysExact() {
    try (ParleyServer server =
        new ParleyServer("restart", Map.of("parley.heartbeat.seconds", "1")).start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("durable");
      String events = "api/rooms/" + room + "/events";
      List<Message> posted = new ArrayList<>();
      String lastSeen;
      String nick = "held-" + room.substring(room.length() - 8);
      HttpResponse<String> started =
          api.sendWith(
              "POST",
              "api/sessions",
              Map.of("Content-Type", "application/json"),
              Api.JSON.toJson(Map.of("nick", nick)).getBytes(StandardCharsets.UTF_8));
      assertEquals(201, started.statusCode(), started.body());
      String token = Api.JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
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
      assertEquals(
          posted, api.history(room, "?limit=100"), "every acknowledged message, as it was");
      // A session survives the crash: it still signs in, and its nick is still held.
      HttpResponse<String> current =
          api.sendWith(
              "GET", "api/sessions/current", Map.of("Authorization", "Bearer " + token), null);
      assertEquals(200, current.statusCode(), current.body());
      Problems.assertProblem(
          api.sendWith(
              "POST",
              "api/rooms/" + room + "/messages",
              Map.of("Content-Type", "application/json"),
              Api.JSON
                  .toJson(Map.of("author", nick, "text", "not mine"))
                  .getBytes(StandardCharsets.UTF_8)),
          403);

      try (SseClient resumed = SseClient.open(server, events, lastSeen)) {
        assertEquals(
            StreamIT.ids(posted.subList(8, 20)), StreamIT.eventIds(resumed.messages(12, WAIT)));
        Message after = api.post(room, "alice", "after the restart");
        assertEquals(after.id(), resumed.next(event -> event.is("message"), WAIT).id());
      }
    }
  }

  @Test
  void aGracefulStopEndsStreamsCleanlyAndLosesNoAcknowledgedMessage() throws Exception {
    try (ParleyServer server =
        new ParleyServer("graceful", Map.of("parley.heartbeat.seconds", "1")).start()) {
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
        Thread posting =
            new Thread(
                () -> {
                  for (int i = 0; ; i++) {
                    HttpResponse<String> response;
                    try {
                      response =
                          poster.postJson(
                              "api/rooms/" + room + "/messages",
                              Api.JSON.toJson(
                                  Map.of("author", "bob", "text", "while stopping " + i)));
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
        assertTrue(
            !logs.contains("Database is already closed"),
            "the store closed before the server stopped");
        assertTrue(
            !logs.contains("NoClassDefFoundError"),
            "something ran after the application had stopped");

        for (SseClient client : clients) {
          assertTrue(client.awaitEnd(WAIT), "the stream ended");
          assertTrue(
              client.endedCleanly(),
              "the stream ended with its last chunk, not a dropped connection");
          List<SseEvent> tail = client.drain();
          SseEvent goodbye = tail.get(tail.size() - 1);
          assertEquals("shutdown", goodbye.type(), "the last event: " + goodbye);
          assertTrue(
              goodbye.retry() != null && goodbye.retry() < 1000,
              "come back soon: " + goodbye.retry());
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

  /**
   * With {@code parley.store.sync=commit} (the default) every post answered 201 before a SIGKILL in
   * the middle of sustained posting is there after the restart, and ids stay (resume is exact, as
   * above). With {@code os}, a crash may have lost commits, so the rooms move to new ids: a
   * client's old id is told to reset, and the log says why, once.
   */
  @Test
  void aKillDuringSustainedPostsLosesNothingAcknowledgedAndWithOsSyncMovesRoomsToNewIds()
      throws Exception {
    for (String sync : List.of("commit", "os")) {
      try (ParleyServer server =
          new ParleyServer("kill-" + sync, Map.of("parley.store.sync", sync)).start()) {
        String room = Api.freshRoom("sustained-" + sync);
        List<Message> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Thread> posters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          Api poster = new Api(server);
          String author = "poster" + t;
          Thread thread =
              new Thread(
                  () -> {
                    for (int i = 0; ; i++) {
                      HttpResponse<String> response;
                      try {
                        response =
                            poster.postJson(
                                "api/rooms/" + room + "/messages",
                                Api.JSON.toJson(Map.of("author", author, "text", "m" + i)));
                      } catch (RuntimeException e) {
                        return; // killed
                      }
                      if (response.statusCode() != 201) {
                        return;
                      }
                      acknowledged.add(Api.JSON.fromJson(response.body(), Message.class));
                    }
                  });
          thread.start();
          posters.add(thread);
        }
        Await.until("posts under way", WAIT, () -> acknowledged.size() >= 200);
        server.kill();
        for (Thread poster : posters) {
          poster.join(WAIT.toMillis());
        }

        server.start();
        Api api = new Api(server);
        List<String> stored = api.history(room, "?limit=500").stream().map(Message::text).toList();
        for (Message message : List.copyOf(acknowledged)) {
          assertTrue(stored.contains(message.text()), "acknowledged but lost: " + message);
        }
        Message last = acknowledged.get(acknowledged.size() - 1);
        Message after = api.post(room, "carol", "after the restart");
        try (SseClient resumed =
            SseClient.open(server, "api/rooms/" + room + "/events", last.id())) {
          SseEvent first = resumed.next(event -> event.is("reset") || event.is("message"), WAIT);
          if (sync.equals("commit")) {
            assertEquals("message", first.type(), "ids kept: resume is exact");
          } else {
            assertEquals("reset", first.type(), "rooms moved to new ids");
            assertTrue(
                !after.id().split("-", -1)[0].equals(last.id().split("-", -1)[0]),
                "a new incarnation: " + after.id());
          }
        }
        if (sync.equals("os")) {
          int said = count(server.logs(), "move to new ids");
          assertTrue(said > 0, "the log says why clients are told to reset");
          server.stop();
          server.start();
          assertEquals(
              said,
              count(server.logs(), "move to new ids"),
              "said once: a clean stop leaves no doubt");
        }
      }
    }
  }

  /** A data folder restored from an older backup hands out none of the ids given since. */
  @Test
  void anOlderDataFolderRestoredReusesNoId() {
    ParleyServer server = new ParleyServer("restore", Map.of()).start();
    try {
      Api api = new Api(server);
      String room = Api.freshRoom("restored");
      api.post(room, "alice", "before the backup");
      server.stop();
      java.nio.file.Path backup =
          java.nio.file.Path.of(Container.required("parley.it.work"), "backup-" + room);
      server.backUpData(backup);
      server.start();
      Message sinceBackup = new Api(server).post(room, "alice", "after the backup");
      server.stop();
      server.restoreData(backup);
      server.start();
      Message afterRestore = new Api(server).post(room, "bob", "after the restore");
      assertTrue(
          !afterRestore.id().equals(sinceBackup.id()),
          "the id " + sinceBackup.id() + " was handed out again");
      try (SseClient resumed =
          SseClient.open(server, "api/rooms/" + room + "/events", sinceBackup.id())) {
        assertEquals(
            "reset", resumed.next(event -> event.is("reset") || event.is("message"), WAIT).type());
      }
    } finally {
      server.close();
    }
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }
}
