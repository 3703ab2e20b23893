package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.Await;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.store.EmbeddedMessageLog;
import io.parley.stream.ClientStreamTest.RecordingOutput;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.file.Path;
import java.time.Duration;
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
  private final ExecutorService foreignWriters = Executors.newCachedThreadPool();
  private final java.util.concurrent.atomic.AtomicInteger helped =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Jsonb jsonb = JsonbBuilder.create();
  private MessageLog log;
  private RoomStream room;

  @BeforeEach
  void openRoom() {
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
                1024,
                1 << 20,
                new StreamCounter(),
                StreamObserver.NONE,
                scheduler,
                foreignWriters,
                fanOutTasks::add,
                this::help,
                2,
                Runnable::run));
  }

  @AfterEach
  void close() throws Exception {
    scheduler.shutdownNow();
    helpers.shutdownNow();
    foreignWriters.shutdownNow();
    log.close();
    jsonb.close();
  }

  private RecordingOutput join(String nick) {
    RecordingOutput output = new RecordingOutput();
    room.join(output, new StreamOwner(nick, null, null), null);
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

  /** A sink that is not Parley's: it records what it is sent; its sends can fail or wait. */
  static final class RecordingSink implements jakarta.ws.rs.sse.SseEventSink {
    final java.util.concurrent.BlockingQueue<String> received =
        new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.CountDownLatch closedLatch =
        new java.util.concurrent.CountDownLatch(1);
    volatile boolean fail;
    volatile java.util.concurrent.CountDownLatch hold;
    volatile boolean closed;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public java.util.concurrent.CompletionStage<?> send(jakarta.ws.rs.sse.OutboundSseEvent event) {
      if (fail) {
        return java.util.concurrent.CompletableFuture.failedFuture(
            new java.io.IOException("broken pipe"));
      }
      java.util.concurrent.CountDownLatch wait = hold;
      if (wait != null) {
        try {
          wait.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      received.add(event.getId() != null ? event.getId() : String.valueOf(event.getName()));
      return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      closed = true;
      closedLatch.countDown();
    }

    List<String> take(int count) throws InterruptedException {
      List<String> taken = new java.util.ArrayList<>();
      while (taken.size() < count) {
        String next = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        if (next == null) {
          throw new AssertionError("only " + taken + " arrived");
        }
        taken.add(next);
      }
      return taken;
    }
  }

  /** A stream whose sign-in has expired ends with a shutdown that says so, cleanly. */
  @Test
  void aStreamEndsWhenItsSignInExpires() throws Exception {
    RecordingOutput output = new RecordingOutput();
    // A moment ahead, so that the stream is live (the container's first writePossible) by then.
    room.join(output, new StreamOwner("alice", "alice", Instant.now().plusSeconds(1)), null);
    output.becomeReady();
    runFanOut();
    scheduler.shutdown(); // runs what it has, then ends: what it wrote is seen after this
    assertTrue(scheduler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS));
    List<String> received = output.received();
    assertEquals("shutdown", received.get(received.size() - 1), received.toString());
    assertTrue(output.written.toString().contains("\"reason\":\"token-expired\""));
    assertEquals(1, output.closeCalls, "ended cleanly, not dropped");
    assertEquals(0, room.openStreams());
  }

  @Test
  void anySinkRegisteredWithTheRoomGetsWhatIsBroadcastFromThenOn() throws Exception {
    RecordingOutput alice = join("alice");
    RecordingSink foreign = new RecordingSink();
    room.register(foreign);
    java.util.concurrent.CompletionStage<?> handed =
        room.broadcast(new EncodedEvent("notice", null, null, "{}", -1));
    assertFalse(handed.toCompletableFuture().isDone(), "handed to the sinks by the room's fan-out");
    Message message = post("to everyone");
    runFanOut();
    assertTrue(handed.toCompletableFuture().isDone());
    assertEquals(List.of("notice", message.id()), foreign.take(2));
    assertTrue(alice.received().containsAll(List.of("notice", message.id())));
  }

  @Test
  void aSinkThatFailsIsReportedThenClosedAndLeaves() throws Exception {
    List<Object> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    room.onError((sink, failure) -> heard.add("error " + failure.getMessage()));
    room.onClose(sink -> heard.add("close"));
    RecordingSink foreign = new RecordingSink();
    foreign.fail = true;
    room.register(foreign);
    post("fails");
    runFanOut();
    assertTrue(
        foreign.closedLatch.await(10, java.util.concurrent.TimeUnit.SECONDS),
        "the failed sink was closed");
    Await.until("both listeners", Duration.ofSeconds(10), () -> heard.size() == 2);
    assertEquals(List.of("error broken pipe", "close"), heard);
    assertEquals(0, room.openStreams());
  }

  @Test
  void aSinkThatWaitsHoldsUpNoOneAndIsCutOffWhenTooFarBehind() throws Exception {
    RecordingOutput alice = join("alice");
    RecordingSink slow = new RecordingSink();
    slow.hold = new java.util.concurrent.CountDownLatch(1);
    List<Object> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    room.onError((sink, failure) -> errors.add(sink));
    room.register(slow);
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 1030; i++) {
      ids.add(post("m" + i).id());
      runFanOut(); // one round per message: the waiting sink queues them
    }
    List<String> received = alice.received();
    assertEquals(
        ids,
        received.subList(received.size() - ids.size(), received.size()),
        "the room's own stream got all");
    Await.until("the slow sink's error", Duration.ofSeconds(10), () -> errors.contains(slow));
    assertTrue(slow.isClosed());
    slow.hold.countDown();
  }

  @Test
  void closingTheRoomClosesEverySinkOnceAndThenRefusesMore() {
    RecordingOutput alice = join("alice");
    RecordingSink foreign = new RecordingSink();
    room.register(foreign);
    List<Object> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
    room.onClose(closed::add);
    room.close();
    room.close();
    assertTrue(foreign.isClosed());
    assertEquals(1, alice.closeCalls);
    assertEquals(2, closed.size(), "each sink's close is heard once: " + closed);
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> room.register(new RecordingSink()));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class,
        () -> room.broadcast(new EncodedEvent("late", null, null, "{}", -1)));
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
    room.join(bob, new StreamOwner("bob", null, null), null);
    bob.becomeReady();
    runFanOut();

    assertTrue(alice.written.toString().contains(": ping"), alice.written.toString());
    assertFalse(bob.written.toString().contains(": ping"), bob.written.toString());
  }

  @Test
  void streamsThatStartOrResumeAmongTheRecentMessagesAreCaughtUpWithoutTheStore() {
    Message before = post("before anyone listened");
    join("alice"); // the room's first stream fills its recent messages from the log
    Message first = post("one");
    Message second = post("two");
    runFanOut();
    log.close(); // from here on only memory can answer a catch-up
    log = new EmbeddedMessageLog(dir.resolve("unused"), 100); // for the test's own clean-up

    RecordingOutput resumed = new RecordingOutput();
    room.join(resumed, new StreamOwner("bob", null, null), before.id());
    RecordingOutput fresh = new RecordingOutput();
    room.join(fresh, new StreamOwner("carol", null, null), null);
    resumed.becomeReady();
    fresh.becomeReady();
    runFanOut();

    assertEquals(List.of("connected", "presence", first.id(), second.id()), resumed.received());
    assertEquals(
        List.of("connected", "presence", before.id(), first.id(), second.id()), fresh.received());
  }

  @Test
  void aMessageOfferedBeforeAStreamJoinedReachesItOnceThroughItsCatchUp() {
    join("alice");
    Message early = post("before bob");
    RecordingOutput bob = new RecordingOutput();
    room.join(bob, new StreamOwner("bob", null, null), null);
    bob.becomeReady();
    Message late = post("after bob");
    runFanOut();

    assertEquals(List.of("connected", "presence", early.id(), late.id()), bob.received());
  }

  @Test
  void aRoundToManyStreamsIsSplitBetweenThreadsAndEveryStreamGetsEveryEventInOrder() {
    List<RecordingOutput> outputs = new java.util.ArrayList<>();
    for (int i = 0; i < 3 * FanOut.SPLIT_AT; i++) {
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
