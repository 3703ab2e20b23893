package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.core.Message;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plain HTTP calls to a Parley server, and JSON read back into the application's own types. */
final class Api {

  static final Jsonb JSON = JsonbBuilder.create();

  /**
   * HTTP/1.1, as most clients of an API speak it; {@link Http2IT} and {@link Curl} speak HTTP/2.
   */
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;

  Api(ParleyServer server) {
    this(server.uri());
  }

  /** The API at {@code base}: a server's, or a proxy's in front of servers. */
  Api(URI base) {
    this.base = base;
  }

  /** Posts a message as JSON and returns it as stored; fails unless the answer is 201. */
  Message post(String room, String author, String text) {
    HttpResponse<String> response =
        postJson(
            "api/rooms/" + room + "/messages", JSON.toJson(Map.of("author", author, "text", text)));
    if (response.statusCode() != 201) {
      throw new AssertionError("POST answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.fromJson(response.body(), Message.class);
  }

  HttpResponse<String> postJson(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> postForm(String path, Map<String, String> fields) {
    StringBuilder form = new StringBuilder();
    fields.forEach(
        (name, value) -> {
          if (form.length() > 0) {
            form.append('&');
          }
          form.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return send(
        "POST",
        path,
        "application/x-www-form-urlencoded",
        form.toString().getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  List<Message> history(String room, String query) {
    HttpResponse<String> response = get("api/rooms/" + room + "/messages" + query);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET history answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.fromJson(response.body(), listOf(Message.class));
  }

  /** Every room the server lists, page after page. */
  List<io.parley.chat.RoomInfo> rooms() {
    List<io.parley.chat.RoomInfo> all = new java.util.ArrayList<>();
    String after = null;
    while (true) {
      HttpResponse<String> page =
          get("api/rooms?limit=1000" + (after == null ? "" : "&after=" + after));
      if (page.statusCode() != 200) {
        throw new AssertionError("GET rooms answered " + page.statusCode() + ": " + page.body());
      }
      List<io.parley.chat.RoomInfo> rooms =
          JSON.fromJson(page.body(), listOf(io.parley.chat.RoomInfo.class));
      all.addAll(rooms);
      if (page.headers().firstValue("Link").isEmpty()) {
        return all;
      }
      after = rooms.get(rooms.size() - 1).name();
    }
  }

  HttpResponse<String> send(String method, String path, String contentType, byte[] body) {
    return sendWith(
        method, path, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
  }

  /** Any request, with the given headers; the body may be null. */
  HttpResponse<String> sendWith(
      String method, String path, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static <T> T read(SseEvent event, Class<T> type) {
    return JSON.fromJson(event.data(), type);
  }

  static Type listOf(Class<?> element) {
    return new java.lang.reflect.ParameterizedType() {
      @Override
      public Type[] getActualTypeArguments() {
        return new Type[] {element};
      }

      @Override
      public Type getRawType() {
        return List.class;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }
    };
  }

  /**
   * A person with a fresh session on this server, its nick starting with {@code prefix}: the
   * Authorization header, and the nick under {@code X-Nick} (for the test: take it out before
   * sending).
   */
  Map<String, String> person(String prefix) {
    String nick = prefix + UUID.randomUUID().toString().substring(0, 6);
    HttpResponse<String> started =
        sendWith(
            "POST",
            "api/sessions",
            Map.of("Content-Type", "application/json"),
            JSON.toJson(Map.of("nick", nick)).getBytes(StandardCharsets.UTF_8));
    assertEquals(201, started.statusCode(), started.body());
    String token = JSON.fromJson(started.body(), SessionsIT.SessionAnswer.class).token();
    return Map.of("Authorization", "Bearer " + token, "X-Nick", nick);
  }

  /** A room name no other test uses. */
  static String freshRoom(String prefix) {
    return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }
}
