package io.parley.store;

import io.parley.Await;
import io.parley.it.RedisForTests;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Typing signals through a Redis of the test's own: a node that starts while Redis is down hears
 * other nodes' signals once Redis is back, though it never signals itself.
 */
class RedisTypingTest {

  @Test
  void aNodeStartedWhileRedisIsDownHearsOtherNodesOnceItIsBack() {
    RedisForTests.requireRedis(); // the machine's redis-server program is what runs here
    String prefix = RedisForTests.freshPrefix();
    try (RedisForTests.Private server = new RedisForTests.Private();
        Redis quiet = new Redis(server.url(), prefix);
        RedisTyping late = new RedisTyping(quiet)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      late.onTyped((room, nick) -> heard.add(room + "/" + nick));
      server.start();
      try (Redis other = new Redis(server.url(), prefix);
          RedisTyping talker = new RedisTyping(other)) {
        Await.until(
            "the node that started without Redis to hear another's signal",
            Duration.ofSeconds(30),
            () -> {
              talker.typed("lobby", "ann");
              return heard.contains("lobby/ann");
            });
      }
    }
  }
}
