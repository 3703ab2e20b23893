package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.chat.Message;
import io.parley.store.EmbeddedMessageLog;
import io.parley.store.MessageLog;
import io.parley.stream.ClientStreamTest.RecordingOutput;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room's fan-out, with its tasks run by the test (one at a time, as the real pool runs a room's
 * task), on a real embedded log.
 */
class RoomStreamTest {

  @TempDir Path dir;

  private final ArrayDeque<Runnable> fanOutTasks = new ArrayDeque<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService helpers = Executors.newFixedThreadPool(2);
  private final java.util.concurrent.atomic.AtomicInteger helped = new java.util.concurrent.atomic.AtomicInteger();
  private final Jsonb jsonb = JsonbBuilder.create();
  private MessageLog log;
  private RoomStream room;

  @BeforeEach
  void openRoom() {
    log = new EmbeddedMessageLog(dir, 100);
    room = new RoomStream("lobby", new EventEncoder(jsonb, 3000),
        new RoomStream.Setup(log, new LocalPresence(), 100, 1024, 1 << 20, new StreamCounter(), StreamObserver.NONE, scheduler, fanOutTasks::add, this::help, 2));
  }

  @AfterEach
  void close() throws Exception {
    scheduler.shutdownNow();
    helpers.shutdownNow();
    log.close();
    jsonb.close();
  }

  private RecordingOutput join(String nick) {
    RecordingOutput output = new RecordingOutput();
    room.join(output, nick, null, stream -> {});
    output.becomeReady();
    runFanOut();
    return output;
  }

  private Message post(String text) {
    Message message = log.append("lobby", "alice", text, Instant.now(), false);
    room.deliver(message);
    return message;
  }

  private void help(Runnable part) {
    helped.incrementAndGet();
    helpers.execute(part);
  }

  private void runFanOut() {
    while (!fanOutTasks.isEmpty()) {
      fanOutTasks.poll().run();
    }
  }

  @Test
  void eventsOfferedWhileNoRoundRanGoOutTogetherInOrder() {
    RecordingOutput alice = join("alice");
    int writesBefore = alice.writes;

    List<String> ids = List.of(post("one").id(), post("two").id(), post("three").id());
    assertEquals(1, fanOutTasks.size(), "one task for the room, not one per event");
    runFanOut();

    assertEquals(writesBefore + 1, alice.writes, "the three events in one write");
    List<String> received = alice.received();
    assertEquals(ids, received.subList(received.size() - 3, received.size()));
  }

  @Test
  void aStreamGetsOnlyEventsOfferedAfterItJoined() {
    RecordingOutput alice = join("alice");
    room.ping();
    RecordingOutput bob = new RecordingOutput();
    room.join(bob, "bob", null, stream -> {});
    bob.becomeReady();
    runFanOut();

    assertTrue(alice.written.toString().contains(": ping"), alice.written.toString());
    assertFalse(bob.written.toString().contains(": ping"), bob.written.toString());
  }

  @Test
  void aMessageOfferedBeforeAStreamJoinedReachesItOnceThroughItsCatchUp() {
    join("alice");
    Message early = post("before bob");
    RecordingOutput bob = new RecordingOutput();
    room.join(bob, "bob", null, stream -> {});
    bob.becomeReady();
    Message late = post("after bob");
    runFanOut();

    assertEquals(List.of("connected", "presence", early.id(), late.id()), bob.received());
  }

  @Test
  void aRoundToManyStreamsIsSplitBetweenThreadsAndEveryStreamGetsEveryEventInOrder() {
    List<RecordingOutput> outputs = new java.util.ArrayList<>();
    for (int i = 0; i < 3 * RoomStream.SPLIT_AT; i++) {
      outputs.add(join(null));
    }
    List<String> ids = new java.util.ArrayList<>();
    for (int round = 0; round < 5; round++) {
      ids.add(post("round " + round + " a").id());
      ids.add(post("round " + round + " b").id());
      runFanOut();
    }
    assertTrue(helped.get() >= 5, "parts handed to helpers: " + helped.get());
    for (RecordingOutput output : outputs) {
      List<String> received = output.received();
      assertEquals(ids, received.subList(received.size() - ids.size(), received.size()));
    }
  }
}
