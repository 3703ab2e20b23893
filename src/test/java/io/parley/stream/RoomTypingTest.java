package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import jakarta.json.bind.JsonbBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who is typing in a room, as its streams are told: coalesced to one event a second, each nick gone
 * five seconds after its last signal or at once when it posts. The checks are lower bounds on time
 * (the timer never runs early), so a slow machine cannot fail them.
 */
class RoomTypingTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> told = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> toldAt = Collections.synchronizedList(new ArrayList<>());
  private final RoomTyping typing =
      new RoomTyping(
          "lobby",
          new EventEncoder(JsonbBuilder.create(), 3000),
          timer,
          event -> {
            toldAt.add(System.nanoTime());
            told.add((String) event.getData());
          });

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private static String list(String names) {
    return "{\"room\":\"lobby\",\"typing\":[" + names + "]}";
  }

  @Test
  void signalsAreCoalescedToOneEventASecond() {
    typing.typed("alice");
    Await.until("alice is told", Duration.ofSeconds(10), () -> told.size() == 1);
    typing.typed("bob");
    typing.typed("carol");
    typing.typed("bob");
    Await.until("bob and carol are told", Duration.ofSeconds(10), () -> told.size() == 2);
    assertEquals(List.of(list("\"alice\""), list("\"alice\",\"bob\",\"carol\"")), told);
    long apart = toldAt.get(1) - toldAt.get(0);
    assertTrue(apart >= TimeUnit.MILLISECONDS.toNanos(RoomTyping.COALESCE_MILLIS), "" + apart);
  }

  @Test
  void aNickGoesFiveSecondsAfterItsLastSignalOrAtOnceWhenItPosts() {
    long start = System.nanoTime();
    typing.typed("alice");
    typing.typed("bob");
    Await.until(
        "both are told", Duration.ofSeconds(10), () -> told.contains(list("\"alice\",\"bob\"")));
    typing.stopped("bob");
    Await.until(
        "bob posted",
        Duration.ofSeconds(10),
        () -> told.get(told.size() - 1).equals(list("\"alice\"")));
    int before = told.size();
    Await.until("alice's signal runs out", Duration.ofSeconds(20), () -> told.size() == before + 1);
    assertEquals(list(""), told.get(before));
    assertTrue(
        toldAt.get(before) - start >= TimeUnit.MILLISECONDS.toNanos(RoomTyping.EXPIRE_MILLIS),
        "not before five seconds");
    assertEquals(List.of(), typing.shown());
  }
}
