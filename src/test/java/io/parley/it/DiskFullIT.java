package io.parley.it;

import static io.parley.it.Problems.assertRetryAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.Required;
import io.parley.core.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded store on a disk that fills up: a 24 MiB tmpfs of the test's own as the data folder
 * (mounting one needs root; without it the test skips loudly, except under {@code CI=true}). Posts
 * get 503 with {@code Retry-After} and readiness is false while the disk is full; open streams stay
 * open; once space is back the store takes posts again by itself, with no restart, and every post
 * answered 201 is there. Tomcat 10.1 only (the store is the same everywhere).
 */
class DiskFullIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aFullDiskRefusesPostsKeepsStreamsAndRecoversByItself() throws Exception {
    Path mount = Path.of(Container.required("parley.it.work"), "disk-full-" + System.nanoTime());
    Files.createDirectories(mount);
    mountTmpfs(mount);
    try (ParleyServer server =
        new ParleyServer(
                "disk-full",
                Map.of(
                    "parley.data-dir",
                    mount.resolve("data").toString(),
                    "parley.heartbeat.seconds",
                    "1",
                    "parley.history.size",
                    "100000"))
            .start()) {
      Api api = new Api(server);
      String room = Api.freshRoom("disk-full");
      List<Message> acknowledged = new ArrayList<>();
      try (SseClient stream = SseClient.open(server, "api/rooms/" + room + "/events", null)) {
        acknowledged.add(api.post(room, "alice", "before the disk filled"));
        stream.messages(1, WAIT);

        Path filler = mount.resolve("filler");
        fill(filler);
        String text = "x".repeat(1900);
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10_000 && refused == null; i++) {
          HttpResponse<String> answer =
              api.postJson(
                  "api/rooms/" + room + "/messages",
                  Api.JSON.toJson(Map.of("author", "alice", "text", text + i)));
          if (answer.statusCode() == 201) {
            acknowledged.add(Api.JSON.fromJson(answer.body(), Message.class));
          } else {
            refused = answer;
          }
        }
        assertTrue(refused != null, "the disk never filled");
        assertRetryAfter(refused, 503);
        Await.until(
            "readiness to say no", WAIT, () -> api.get("api/health/ready").statusCode() == 503);
        int before = stream.drain().size();
        assertTrue(
            stream.next(event -> event.is("comment"), WAIT) != null,
            "heartbeats go on: the stream stays open (" + before + " events)");

        Files.delete(filler);
        Await.until(
            "readiness once there is space again",
            WAIT,
            () -> api.get("api/health/ready").statusCode() == 200);
        Message after = api.post(room, "alice", "after the disk had room again");
        acknowledged.add(after);
        assertEquals(
            after.id(),
            stream.next(event -> event.is("message") && event.id().equals(after.id()), WAIT).id(),
            "the open stream gets what is posted after");
        List<String> stored = api.history(room, "?limit=500").stream().map(Message::id).toList();
        for (Message message : acknowledged) {
          assertTrue(stored.contains(message.id()), "acknowledged but lost: " + message.id());
        }
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  /** Fills the file system with one file, leaving a few KB. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      // no space left: what was written stays
    }
  }

  private static void mountTmpfs(Path mount) {
    if (run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString()) == 0) {
      return;
    }
    Required.missing("DiskFullIT", "mounting a tmpfs (as root) is needed to fill a disk");
  }

  private static int run(String... command) {
    try {
      Process process = new ProcessBuilder(command).inheritIO().start();
      return process.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
