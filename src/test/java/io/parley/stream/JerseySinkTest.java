package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.store.EmbeddedMessageLog;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard JAX-RS path, for real: Jersey's own {@code SseEventSink}, from {@code @Context
 * SseEventSink} in a resource served by Jersey on its Grizzly HTTP server, registered with a room,
 * gets what the room broadcasts as the same SSE a client of Parley's own streams reads, and is
 * closed when the room closes. The client reads the bytes over a socket.
 */
@Timeout(60)
class JerseySinkTest {

  @TempDir java.nio.file.Path dir;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService fanOut = Executors.newSingleThreadExecutor();
  private final ExecutorService helpers = Executors.newFixedThreadPool(2);
  private final ExecutorService foreignWriters = Executors.newCachedThreadPool();
  private final Jsonb jsonb = JsonbBuilder.create();
  private MessageLog log;
  private RoomStream room;
  private HttpServer server;

  /** A resource of the standard shape: it registers the request's sink with the room. */
  @Path("events")
  public static final class StandardResource {
    @Inject RoomStream room;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink) {
      room.register(sink);
    }
  }

  @BeforeEach
  void serve() {
    log = new EmbeddedMessageLog(dir, 100);
    room =
        new RoomStream(
            "lobby",
            new EventEncoder(jsonb, 3000),
            new RoomSetup(
                log,
                new LocalPresence(),
                100,
                100,
                1 << 20,
                16,
                1 << 20,
                new StreamCounter(),
                StreamObserver.NONE,
                scheduler,
                foreignWriters,
                fanOut,
                helpers,
                2,
                Runnable::run));
    server =
        GrizzlyHttpServerFactory.createHttpServer(
            URI.create("http://127.0.0.1:0/"),
            new ResourceConfig(StandardResource.class)
                .register(
                    new AbstractBinder() {
                      @Override
                      protected void configure() {
                        bind(room).to(RoomStream.class);
                      }
                    }));
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdownNow();
    scheduler.shutdownNow();
    fanOut.shutdownNow();
    helpers.shutdownNow();
    foreignWriters.shutdownNow();
    log.close();
    jsonb.close();
  }

  @Test
  void jerseysOwnSinkGetsTheRoomsMessagesAndIsClosedWithTheRoom() throws Exception {
    URI events =
        URI.create(
            "http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/events");
    // HTTP/1.1 only: offered an h2c upgrade (the JDK client's default), Grizzly drops the
    // Content-Type.
    var answer =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .sendAsync(
                HttpRequest.newBuilder(events)
                    .header("Accept", MediaType.SERVER_SENT_EVENTS)
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    Await.until("one open stream", Duration.ofSeconds(10), () -> room.openStreams() == 1);
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Message message = log.append("lobby", "alice", "hello 你好 " + i, Instant.now(), false);
      room.deliver(message);
      posted.add(message);
    }
    HttpResponse<java.io.InputStream> response = answer.get(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode());
    String type = response.headers().firstValue("Content-Type").orElse("");
    assertTrue(type.startsWith(MediaType.SERVER_SENT_EVENTS), response.headers().map().toString());
    try (BufferedReader stream =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (Message message : posted) {
        List<String> frame = frame(stream);
        assertEquals(
            List.of("event: message", "id: " + message.id(), "data: " + jsonb.toJson(message)),
            frame);
      }

      room.close();
      String rest;
      do {
        rest = stream.readLine(); // the goodbye, if the room says one, then the end of the body
      } while (rest != null);
    }
    Await.until("no open stream", Duration.ofSeconds(10), () -> room.openStreams() == 0);
  }

  /** The next event's lines, up to the blank line that ends it. */
  private static List<String> frame(BufferedReader stream) throws java.io.IOException {
    List<String> lines = new ArrayList<>();
    for (String line = stream.readLine();
        line != null && !line.isEmpty();
        line = stream.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}
