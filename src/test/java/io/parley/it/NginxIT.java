package io.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.Required;
import io.parley.core.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The compose stack's front, for real: nginx with the repo's {@code nginx/parley.conf} (its
 * upstream pointed at two local Tomcat nodes in cluster mode, which trust it as a proxy), and
 * Chromium through it. The page posts (its Origin is the page's own: nginx passes the port), two
 * people see each other, each client counts as itself and not as nginx, and when one node is killed
 * the pages come back through the other with nothing missed and nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final String prefix = RedisForTests.freshPrefix();
  private ParleyServer nodeA;
  private ParleyServer nodeB;
  private Process nginx;
  private Path nginxPrefix;
  private int port;

  @BeforeAll
  void start() throws Exception {
    requireNginx();
    RedisForTests.requireRedis();
    Map<String, String> cluster =
        Map.of(
            "parley.store", "redis",
            "parley.redis.url", RedisForTests.URL,
            "parley.redis.prefix", prefix,
            "parley.heartbeat.seconds", "1",
            "parley.trusted-proxies",
                "127.0.0.1", // nginx; the clients below that must count as themselves come from
            // 127.0.0.2
            // per-client limits as shipped: every client here comes through nginx, each as itself
            "parley.limit.posts-per-second", "5",
            "parley.limit.posts-burst", "20");
    nodeA = new ParleyServer("nginx-a", cluster).start();
    nodeB = new ParleyServer("nginx-b", cluster).start();
    startNginx();
  }

  @AfterAll
  void stop() {
    if (nginx != null) {
      nginx.destroy();
    }
    if (nodeA != null) {
      nodeA.close();
    }
    if (nodeB != null) {
      nodeB.close();
    }
    RedisForTests.deleteKeys(prefix);
  }

  @Test
  void twoPeopleChatThroughNginxAndComeBackThroughTheOtherNodeWhenOneDies() {
    String room = Api.freshRoom("nginx");
    URI front = URI.create("http://127.0.0.1:" + port + "/");
    try (Browser annsBrowser = Browser.launch();
        Browser bobsBrowser = Browser.launch()) {
      ChatPage ann = ChatPage.open(annsBrowser, front, room);
      ChatPage bob = ChatPage.open(bobsBrowser, front, room);
      String annNick = "ann-" + UUID.randomUUID().toString().substring(0, 4);
      String bobNick = "bob-" + UUID.randomUUID().toString().substring(0, 4);
      ann.chooseNick(annNick);
      bob.chooseNick(bobNick);
      Await.until(
          "both to see both online",
          WAIT,
          () ->
              ann.online().equals(List.of(annNick, bobNick))
                  && bob.online().equals(List.of(annNick, bobNick)));
      ann.send("hello through nginx");
      bob.send("hi ann");
      ann.awaitTexts(List.of("hello through nginx", "hi ann"));
      bob.awaitTexts(List.of("hello through nginx", "hi ann"));

      nodeA.kill();
      Message during = new Api(nodeB).post(room, "carol", "posted while a node was down");
      ann.awaitTexts(List.of("hello through nginx", "hi ann", "posted while a node was down"));
      bob.awaitTexts(List.of("hello through nginx", "hi ann", "posted while a node was down"));
      bob.send("still here");
      ann.awaitTexts(
          List.of("hello through nginx", "hi ann", "posted while a node was down", "still here"));
      annsBrowser.screenshot("through-nginx");
      assertEquals(during.id(), new Api(nodeB).history(room, "?limit=10").get(2).id());
    }
  }

  /**
   * A client behind nginx is itself, whatever it writes: nginx appends the address it saw
   * (127.0.0.2 here) to the client's own X-Forwarded-For, so forged hops buy no fresh limits and a
   * client that spent its burst does not spend another's.
   */
  @Test
  void eachClientBehindNginxHasItsOwnLimitsAndCannotPickAnother() throws IOException {
    String room = Api.freshRoom("nginx-limits");
    int accepted = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      int status = postFrom("127.0.0.2", room, "203.0.113." + (i + 1), "m" + i);
      if (status == 201) {
        accepted++;
      } else {
        assertEquals(429, status);
      }
    }
    // Limits are per node: nginx spreads the posts over two, each with a burst of 20 and 5 more a
    // second.
    double seconds = (System.nanoTime() - started) / 1e9;
    long most = 2 * 20 + (long) Math.ceil(2 * 5 * seconds) + 2;
    assertTrue(
        accepted <= most,
        "forged X-Forwarded-For hops bought fresh limits: "
            + accepted
            + " of 100 posts accepted in "
            + seconds
            + " s (at most "
            + most
            + ")");
    assertEquals(
        201,
        postFrom("127.0.0.3", room, "127.0.0.2", "another client"),
        "another client has its own limits");
  }

  /**
   * A JSON post through nginx from a local address of the test's choosing, with a forged
   * X-Forwarded-For; its status.
   */
  private int postFrom(String local, String room, String forged, String text) throws IOException {
    byte[] body =
        Api.JSON.toJson(Map.of("author", "mallory", "text", text)).getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.bind(new java.net.InetSocketAddress(local, 0));
      socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(30_000);
      String head =
          "POST /api/rooms/"
              + room
              + "/messages HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nContent-Type: application/json\r\nX-Forwarded-For: "
              + forged
              + "\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  /**
   * nginx with the repo's site configuration, its upstream at the two nodes, on a free loopback
   * port.
   */
  private void startNginx() throws Exception {
    port = Ports.free();
    nginxPrefix = Files.createTempDirectory("parley-nginx-");
    Files.createDirectories(nginxPrefix.resolve("logs"));
    String site = Files.readString(Path.of("nginx/parley.conf"));
    String upstream =
        "    server 127.0.0.1:"
            + nodeA.port()
            + " max_fails=2 fail_timeout=5s;\n"
            + "    server 127.0.0.1:"
            + nodeB.port()
            + " max_fails=2 fail_timeout=5s;\n";
    site = site.replaceAll("(?m)^\\s*server [a-z0-9-]+:8080[^\\n]*\\n", "");
    site = site.replace("upstream parley {\n", "upstream parley {\n" + upstream);
    site = site.replace("listen 80;", "listen 127.0.0.1:" + port + ";");
    Path conf = nginxPrefix.resolve("nginx.conf");
    Files.writeString(
        conf,
        "daemon off;\npid "
            + nginxPrefix.resolve("nginx.pid")
            + ";\nerror_log "
            + nginxPrefix.resolve("logs/error.log")
            + ";\nevents {}\nhttp {\naccess_log "
            + nginxPrefix.resolve("logs/access.log")
            + ";\n"
            + "client_body_temp_path "
            + nginxPrefix.resolve("body")
            + ";\nproxy_temp_path "
            + nginxPrefix.resolve("proxy")
            + ";\n"
            + site
            + "\n}\n");
    nginx =
        new ProcessBuilder("/usr/sbin/nginx", "-p", nginxPrefix.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(nginxPrefix.resolve("logs/console.log").toFile())
            .start();
    Await.until(
        "nginx on port " + port + " (" + nginxPrefix + ")",
        WAIT,
        () -> {
          if (!nginx.isAlive()) {
            throw new AssertionError(
                "nginx exited: " + read(nginxPrefix.resolve("logs/console.log")));
          }
          try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return socket.isConnected();
          } catch (IOException e) {
            return false;
          }
        });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void requireNginx() {
    if (Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
      return;
    }
    String missing =
        "/usr/sbin/nginx is needed for the tests through nginx (apt-get install -y --no-install-recommends nginx-light)";
    Required.missing("the tests through nginx", missing);
  }
}
