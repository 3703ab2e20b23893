package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.core.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A corpus of hostile requests, then seeded random ones, against the POST and stream endpoints:
 * invalid UTF-8, huge and deeply nested JSON, wrong types, control characters, path traversal in
 * room names, header injection through Last-Event-ID, 10 MB bodies, odd methods and media types. No
 * answer is a 5xx or an HTML page, errors are problem+json, and a client streaming meanwhile keeps
 * getting every message.
 */
@ExtendWith(SharedServer.class)
class HostileInputIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int RANDOM_REQUESTS = 200;
  private static final Set<String> STREAM_EVENTS =
      Set.of("connected", "presence", "message", "reset", "comment");

  private final ParleyServer server;

  /** The server that trusts 127.0.0.1 as a proxy, so the forwarding headers below are read. */
  private final ParleyServer guarded;

  private final Api api;
  private final String room = Api.freshRoom("hostile");
  private final String messages = "/api/rooms/" + room + "/messages";
  private final String events = "/api/rooms/" + room + "/events";

  HostileInputIT(ParleyServer server, @SharedServer.Guarded ParleyServer guarded) {
    this.server = server;
    this.guarded = guarded;
    this.api = new Api(server);
  }

  /**
   * Forged, broken and random forwarding chains (X-Forwarded-For, and RFC 7239 Forwarded, which
   * this server ignores) on the server that reads them: clear answers, never a 5xx or an HTML page.
   */
  @Test
  void randomForwardingChainsGetClearAnswers() {
    long seed = System.nanoTime();
    System.out.println("HostileInputIT forwarding seed: " + seed);
    Random random = new Random(seed);
    String guardedRoom = Api.freshRoom("hostile-forwarded");
    for (int i = 0; i < RANDOM_REQUESTS; i++) {
      String chain = randomChain(random);
      String head =
          random.nextBoolean()
              ? "GET /api/rooms/" + guardedRoom + "/messages HTTP/1.1"
              : "GET /api/rooms HTTP/1.1";
      String header =
          random.nextInt(3) == 0
              ? "Forwarded: for=" + chain.replace(", ", ", for=")
              : "X-Forwarded-For: " + chain;
      check(guarded, new Request(head + "\r\n" + header, null));
    }
  }

  /**
   * Hops of every kind: addresses, IPv6 with and without brackets and ports, ranges, names,
   * garbage.
   */
  private static String randomChain(Random random) {
    String[] kinds = {
      "203.0.113.%d",
      "[2001:db8::%x]:%d",
      "2001:db8::%x",
      "10.0.0.%d/8",
      "unknown",
      "_hidden",
      "localhost",
      "%d",
      "1.2.3.4.5",
      "::ffff:198.51.100.%d",
      "*",
      "",
      " ",
      "127.0.0.1",
      "\"198.51.100.%d\"",
      "0x7f.1",
      "%s"
    };
    List<String> hops = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(6); i++) {
      String kind = kinds[random.nextInt(kinds.length)];
      hops.add(
          kind.equals("%s")
              ? randomText(random, 12).replaceAll("[\\r\\n\\\\]", "")
              : String.format(kind, random.nextInt(256), random.nextInt(65536)));
    }
    return String.join(random.nextBoolean() ? ", " : ",", hops);
  }

  @Test
  void hostileRequestsGetClearAnswersAndTheRoomKeepsStreaming() {
    try (SseClient watcher = SseClient.open(server, events.substring(1), null)) {
      List<Message> probes = new ArrayList<>();
      List<Request> corpus = corpus();
      for (int i = 0; i < corpus.size(); i++) {
        check(corpus.get(i));
        if (i % 10 == 0) {
          probes.add(api.post(room, "probe", "still here " + i));
        }
      }
      long seed = System.nanoTime();
      System.out.println("HostileInputIT random seed: " + seed);
      Random random = new Random(seed);
      for (int i = 0; i < RANDOM_REQUESTS; i++) {
        check(randomRequest(random));
        if (i % 25 == 0) {
          probes.add(api.post(room, "probe", "still here, random " + i));
        }
      }
      probes.add(api.post(room, "probe", "the end"));
      List<String> seen =
          watcher.messages(probes.size() + acceptedHostilePosts, WAIT).stream()
              .map(event -> Api.read(event, Message.class))
              .filter(message -> message.author().equals("probe"))
              .map(Message::id)
              .toList();
      assertEquals(StreamIT.ids(probes), seen, "the watcher got every probe, in order");
    }
  }

  private int acceptedHostilePosts;

  @SuppressWarnings("ArrayRecordComponent") // never compared; the body is sent as it is
  private record Request(String head, byte[] body) {
    @Override
    public String toString() {
      return head.replace("\r\n", " | ") + (body == null ? "" : " (" + body.length + " bytes)");
    }
  }

  private void check(Request request) {
    check(server, request);
  }

  private void check(ParleyServer target, Request request) {
    RawHttp.Answer answer;
    try {
      answer = RawHttp.exchange(target, request.head(), request.body());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + " for " + request, e);
    }
    String type =
        answer.header("Content-Type") == null
            ? ""
            : answer.header("Content-Type").toLowerCase(Locale.ROOT);
    assertTrue(answer.status() < 500, answer.status() + " for " + request + ": " + answer.body());
    assertFalse(
        type.startsWith("text/html") || answer.body().toLowerCase(Locale.ROOT).contains("<html"),
        "an HTML page for " + request + ": " + answer.body());
    if (answer.status() >= 400) {
      // What the servlet container refuses before the application sees it (a NUL in the path) is
      // plain JSON from Tomcat's error valve (see docs/deploying.md), JSON from Jetty's error
      // handler
      // (its status, message and URL; an ambiguous path), or an empty 400 from Payara's Grizzly;
      // everything else is problem+json.
      boolean container =
          (type.startsWith("application/json")
                  && answer.body().matches("(?s)\\{\\s*\"status\": ?\\d+\\s*}\\s*"))
              || (type.startsWith("application/json")
                  && answer
                      .body()
                      .matches(
                          "(?s)\\{\\s*\"message\":\"[^\"]*\",\\s*\"url\":\"[^\"]*\",\\s*\"status\":\"\\d+\"\\s*}\\s*"))
              || (type.isEmpty() && answer.body().isEmpty());
      assertFalse(
          answer.body().contains("\"throwable\""),
          "a stack trace for " + request + ": " + answer.body());
      assertTrue(
          type.startsWith("application/problem+json") || container,
          answer.status() + " " + answer.headers() + " for " + request + ": " + answer.body());
    }
    if (answer.status() == 201 && request.head().startsWith("POST " + messages + " ")) {
      acceptedHostilePosts++;
    }
    if (type.startsWith("text/event-stream")) {
      for (String line : answer.body().split("\n", -1)) {
        if (line.startsWith("event:")) {
          assertTrue(
              STREAM_EVENTS.contains(line.substring(6).strip()),
              "injected " + line + " for " + request);
        }
        assertFalse(
            line.startsWith("id:") && line.contains("\r"), "an id line with a CR for " + request);
      }
    }
  }

  private List<Request> corpus() {
    List<Request> corpus = new ArrayList<>();
    String json = "Content-Type: application/json";
    // Broken encodings and JSON
    corpus.add(
        post(
            json,
            bytes(
                "{\"author\":\"a\",\"text\":\"",
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3},
                "\"}")));
    corpus.add(post(json, bytes(new byte[] {(byte) 0xc0, (byte) 0x80})));
    corpus.add(
        post(json, "{\"author\":\"a\",\"text\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            json,
            "{\"author\":\"a\",\"text\":\"\\u0000\\u001b[31m\"}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(post(json, ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            json,
            ("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)).getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            json,
            ("{\"author\":\"a\",\"text\":" + "[".repeat(2000) + "]".repeat(2000) + "}")
                .getBytes(StandardCharsets.UTF_8)));
    corpus.add(post(json, "{\"author\":1,\"text\":true}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(json, "{\"author\":[\"a\"],\"text\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(post(json, "{\"author\":null,\"text\":null}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            json,
            "{\"author\":\"a\",\"author\":\"b\",\"text\":\"dup\"}"
                .getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            json,
            "{\"author\":\"a\",\"text\":\"hi\",\"id\":\"forged-1\",\"integration\":true}"
                .getBytes(StandardCharsets.UTF_8)));
    corpus.add(post(json, "\"just a string\"".getBytes(StandardCharsets.UTF_8)));
    corpus.add(post(json, "1e999999".getBytes(StandardCharsets.UTF_8)));
    // Huge bodies, with and without a length
    corpus.add(
        post(
            json,
            ("{\"author\":\"a\",\"text\":\"" + "x".repeat(10 << 20) + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        new Request(
            "POST " + messages + " HTTP/1.1\r\n" + json + "\r\nTransfer-Encoding: chunked",
            chunked(
                ("{\"author\":\"a\",\"text\":\"" + "y".repeat(1 << 20) + "\"}")
                    .getBytes(StandardCharsets.UTF_8))));
    // Media types
    for (String contentType :
        List.of(
            "application/json; charset=x-unknown",
            "application/json; charset=ISO-8859-1",
            "application/x-www-form-urlencoded; charset=x-unknown",
            "multipart/form-data; boundary=x",
            "*/*",
            "application/",
            "text/html")) {
      corpus.add(
          post(
              "Content-Type: " + contentType,
              "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
    }
    corpus.add(post(null, "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            "Content-Type: application/x-www-form-urlencoded",
            "author=%zz&text=%".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            "Content-Type: application/x-www-form-urlencoded",
            "author=a&text=%C3%28".getBytes(StandardCharsets.UTF_8)));
    corpus.add(
        post(
            "Content-Type: application/x-www-form-urlencoded",
            "author=a&author=b&text=c&text=d".getBytes(StandardCharsets.UTF_8)));
    // Room names and paths
    for (String badRoom :
        List.of(
            "..",
            "%2e%2e",
            "..%2F..%2Fetc%2Fpasswd",
            "a%00b",
            "%C3%A9t%C3%A9",
            "a;b",
            "a%20b",
            "x".repeat(300),
            "%ff",
            "CON",
            "-a",
            "a..",
            ".hidden")) {
      corpus.add(
          new Request(
              "POST /api/rooms/" + badRoom + "/messages HTTP/1.1\r\n" + json,
              "{\"author\":\"a\",\"text\":\"b\"}".getBytes(StandardCharsets.UTF_8)));
      corpus.add(
          new Request(
              "GET /api/rooms/" + badRoom + "/events HTTP/1.1\r\nAccept: text/event-stream", null));
    }
    corpus.add(new Request("GET /api/rooms/../../WEB-INF/web.xml HTTP/1.1", null));
    corpus.add(new Request("GET /api/../WEB-INF/web.xml HTTP/1.1", null));
    // The stream: resume ids, nicks, accepted types
    for (String lastEventId :
        List.of(
            "abc\u0001",
            "x".repeat(4000),
            "../../etc",
            "-1",
            "99999999999999999999-1",
            "a-1;drop table",
            "\u00e9t\u00e9",
            "0-0",
            "1-1-1",
            "\"quoted\"",
            "%0d%0aevent: evil")) {
      corpus.add(
          new Request(
              "GET "
                  + events
                  + " HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: "
                  + lastEventId,
              null));
    }
    corpus.add(
        new Request(
            "GET "
                + events
                + "?lastEventId=a%0d%0aevent:%20evil%0d%0adata:%20x HTTP/1.1\r\nAccept: text/event-stream",
            null));
    corpus.add(
        new Request(
            "GET " + events + "?lastEventId=a%0aid:%20forged HTTP/1.1\r\nAccept: text/event-stream",
            null));
    for (String nick :
        List.of("%00", "%3Cscript%3E", "x".repeat(1000), "a%0d%0aevent:%20evil", "%ff%fe", "%20")) {
      corpus.add(
          new Request(
              "GET " + events + "?nick=" + nick + " HTTP/1.1\r\nAccept: text/event-stream", null));
    }
    // Names that look like another's, or hide what they hold: 400, or stored as NFKC
    for (String name :
        List.of(
            "\u202etob-ic",
            "ci\u200bbot",
            "\ue000x",
            "\ufeffeve",
            "x\u0378",
            "\uff41\uff42",
            "a\u0301\u0301\u0301")) {
      corpus.add(
          post(
              json,
              ("{\"author\":\"" + name + "\",\"text\":\"hi\"}").getBytes(StandardCharsets.UTF_8)));
      corpus.add(
          new Request(
              "GET "
                  + events
                  + "?nick="
                  + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)
                  + " HTTP/1.1\r\nAccept: text/event-stream",
              null));
    }
    corpus.add(new Request("GET " + events + " HTTP/1.1\r\nAccept: application/json", null));
    corpus.add(new Request("GET " + events + " HTTP/1.1\r\nAccept: garbage/!!", null));
    // Methods and odd requests
    for (String method : List.of("PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
      corpus.add(
          new Request(
              method + " " + messages + " HTTP/1.1\r\n" + json,
              "{}".getBytes(StandardCharsets.UTF_8)));
    }
    corpus.add(new Request("GET " + messages + "?limit=-1&after=%00 HTTP/1.1", null));
    corpus.add(new Request("GET " + messages + "?limit=99999999999999999999 HTTP/1.1", null));
    corpus.add(new Request("GET " + messages + "/%2e%2e HTTP/1.1", null));
    return corpus;
  }

  private Request randomRequest(Random random) {
    String[] types = {
      "application/json",
      "application/x-www-form-urlencoded",
      "text/plain",
      "application/json; charset=utf-16"
    };
    String type = types[random.nextInt(types.length)];
    byte[] body;
    switch (random.nextInt(4)) {
      case 0 -> {
        body = new byte[random.nextInt(20_000)];
        random.nextBytes(body);
      }
      case 1 ->
          body =
              ("{\"author\":\""
                      + randomText(random, 40)
                      + "\",\"text\":\""
                      + randomText(random, 3000)
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
      case 2 ->
          body =
              ("author=" + randomText(random, 40) + "&text=" + randomText(random, 100))
                  .getBytes(StandardCharsets.UTF_8);
      default -> body = randomJson(random, 0).getBytes(StandardCharsets.UTF_8);
    }
    if (random.nextInt(10) == 0) {
      return new Request(
          "GET "
              + events
              + " HTTP/1.1\r\nAccept: text/event-stream\r\nLast-Event-ID: "
              + randomText(random, 80).replaceAll("[\\r\\n]", ""),
          null);
    }
    return post("Content-Type: " + type, body);
  }

  /** Any characters at all, escaped only where JSON or a header would break. */
  private static String randomText(Random random, int maxLength) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      int c = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x3000);
      if (c == '"' || c == '\\' || c < 0x20 || (c >= 0xd800 && c < 0xe000)) {
        text.append(String.format("\\u%04x", c));
      } else {
        text.append((char) c);
      }
    }
    return text.toString();
  }

  private static String randomJson(Random random, int depth) {
    return switch (depth > 6 ? random.nextInt(3) : random.nextInt(6)) {
      case 0 -> Integer.toString(random.nextInt());
      case 1 -> "\"" + randomText(random, 20) + "\"";
      case 2 -> random.nextBoolean() ? "null" : "true";
      case 3 -> "[" + randomJson(random, depth + 1) + "," + randomJson(random, depth + 1) + "]";
      case 4 ->
          "{\"author\":"
              + randomJson(random, depth + 1)
              + ",\"text\":"
              + randomJson(random, depth + 1)
              + "}";
      default -> "{\"" + randomText(random, 8) + "\":" + randomJson(random, depth + 1);
    };
  }

  private Request post(String contentType, byte[] body) {
    return new Request(
        "POST " + messages + " HTTP/1.1" + (contentType == null ? "" : "\r\n" + contentType), body);
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] bytes =
          part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8);
      all.writeBytes(bytes);
    }
    return all.toByteArray();
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += 8192) {
      int n = Math.min(8192, body.length - i);
      all.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      all.write(body, i, n);
      all.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    all.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return all.toByteArray();
  }
}
