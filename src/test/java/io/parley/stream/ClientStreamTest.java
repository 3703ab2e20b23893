package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClientStreamTest {

  /** The client's connection: it records what is written, and can be full or broken. */
  static final class RecordingOutput implements EventOutput {
    final StringBuilder written = new StringBuilder();
    Listener listener;
    boolean ready = true;
    boolean broken;

    /**
     * Each write fills the connection for a moment: it answers that no more may be written, and a
     * write before the next writePossible is an error (as in Tomcat), even though isReady() may say
     * true again meanwhile (Tomcat's does once the bytes are out).
     */
    boolean fullAfterEachWrite;

    private boolean awaitingWritePossible;
    int writes;
    int closeCalls;
    int dropCalls;

    @Override
    public void listen(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void run(Runnable writer) {
      writer.run();
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public boolean write(byte[] bytes) throws IOException {
      if (!ready) {
        throw new IllegalStateException("written while not ready");
      }
      if (broken) {
        throw new IOException("broken pipe");
      }
      if (awaitingWritePossible) {
        throw new IllegalStateException("written before the container's writePossible");
      }
      writes++;
      written.append(new String(bytes, StandardCharsets.UTF_8));
      awaitingWritePossible = fullAfterEachWrite;
      return ready && !fullAfterEachWrite;
    }

    @Override
    public void close() {
      closeCalls++;
    }

    @Override
    public void drop() {
      dropCalls++;
    }

    /** The container's word that the connection takes bytes (again). */
    void becomeReady() {
      ready = true;
      awaitingWritePossible = false;
      listener.writePossible();
    }

    /** What the client received: ids of messages, names of other events. */
    List<String> received() {
      List<String> seen = new ArrayList<>();
      Matcher event = Pattern.compile("event: (\\w+)\\n(?:id: (\\S+)\\n)?").matcher(written);
      while (event.find()) {
        seen.add(event.group(2) != null ? event.group(2) : event.group(1));
      }
      return seen;
    }
  }

  /** For a catch-up that fits in its first page. */
  private static final CatchUpPages NO_MORE =
      after -> {
        throw new AssertionError("no page after " + after + " was due");
      };

  private final RecordingOutput output = new RecordingOutput();
  private final List<RoomMember.CloseReason> closes = new ArrayList<>();

  private ClientStream stream(int maxPending) {
    return stream(maxPending, 1 << 20);
  }

  private ClientStream stream(int maxPending, int maxPendingBytes) {
    output.ready = false;
    return new ClientStream(
        "c1",
        "alice",
        "alice",
        output,
        maxPending,
        maxPendingBytes,
        StreamObserver.NONE,
        Runnable::run,
        (stream, reason, failure) -> closes.add(reason));
  }

  /**
   * A log of messages "1".."count", each {@code size} bytes of data, served in pages of {@code
   * page}.
   */
  private static final class Log implements CatchUpPages {
    final List<String> reads = new ArrayList<>();
    final int count;
    final int size;
    final int page;

    Log(int count, int size, int page) {
      this.count = count;
      this.size = size;
      this.page = page;
    }

    OutboundSseEvent event(int id) {
      return new EncodedEvent("message", Integer.toString(id), null, "x".repeat(size), -1);
    }

    List<OutboundSseEvent> from(int first, int last) {
      List<OutboundSseEvent> events = new ArrayList<>();
      for (int id = first; id <= Math.min(last, count); id++) {
        events.add(event(id));
      }
      return events;
    }

    @Override
    public Page after(String afterId) {
      reads.add(afterId);
      int first = Integer.parseInt(afterId) + 1;
      List<OutboundSseEvent> events = from(first, first + page - 1);
      return new Page(events, events.size() < page);
    }
  }

  private static List<String> ids(int first, int last) {
    List<String> ids = new ArrayList<>();
    for (int id = first; id <= last; id++) {
      ids.add(Integer.toString(id));
    }
    return ids;
  }

  private static OutboundSseEvent message(String id) {
    return new EncodedEvent("message", id, null, "{}", -1);
  }

  private static OutboundSseEvent named(String name) {
    return new EncodedEvent(name, null, null, "{}", -1);
  }

  @Test
  void catchUpComesFirstAndMessagesItHeldAreSentOnce() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.send(message("2")); // delivered while the client was catching up…
    stream.send(named("presence"));
    stream.goLive(
        List.of(named("connected"), message("1"), message("2"), message("3")), true, NO_MORE);
    stream.send(message("3")); // …and one appended before the catch-up read but delivered after it
    stream.send(message("4"));
    assertEquals(List.of("connected", "1", "2", "3", "presence", "4"), output.received());
  }

  @Test
  void aLongCatchUpIsReadPageByPageAsTheClientTakesItThenGoesLiveExactly() {
    Log log = new Log(200, 10, 50);
    ClientStream stream = stream(64);
    stream.send(message("150")); // appended after the stream joined: also in a later page
    stream.goLive(log.from(1, 50), false, log);
    assertEquals(
        List.of(), log.reads, "nothing more is read before the client took the first page");
    output.becomeReady();
    stream.send(message("201")); // live, after everything the pages hold
    List<String> expected = ids(1, 201);
    assertEquals(expected, output.received());
    assertEquals(List.of("50", "100", "150", "200"), log.reads);
  }

  /**
   * Pages are read on the reader, not on the thread that drains: the container saying the
   * connection takes more, or live events arriving, while a page is being read start no second read
   * of it, so nothing is sent twice.
   */
  @Test
  void aPageBeingReadElsewhereIsReadOnceWhateverWakesTheStreamMeanwhile() {
    Log log = new Log(200, 10, 50);
    java.util.ArrayDeque<Runnable> reader = new java.util.ArrayDeque<>();
    output.ready = false;
    ClientStream stream =
        new ClientStream(
            "c1",
            "alice",
            "alice",
            output,
            64,
            1 << 20,
            StreamObserver.NONE,
            reader::add,
            (s, reason, failure) -> closes.add(reason));
    stream.goLive(log.from(1, 50), false, log);
    output.becomeReady();
    assertEquals(1, reader.size(), "the next page is due, on the reader");
    output.becomeReady(); // the container again, while the page is being read
    stream.send(message("201")); // and a live event
    assertEquals(1, reader.size(), "still one read under way");
    while (!reader.isEmpty()) {
      reader.poll().run();
      output.becomeReady();
    }
    assertEquals(ids(1, 201), output.received());
    assertEquals(List.of("50", "100", "150", "200"), log.reads);
  }

  /**
   * A write that leaves the connection full ends the drain: the next one waits for the container's
   * call.
   */
  @Test
  void afterAWriteThatFilledTheConnectionNothingIsWrittenUntilTheContainerSaysSo() {
    ClientStream stream = stream(64);
    output.becomeReady();
    output.fullAfterEachWrite = true;
    String big = "x".repeat(StreamQueue.BATCH_BYTES + 1);
    stream.goLive(List.of(), true, NO_MORE);
    for (int i = 1; i <= 3; i++) {
      stream.send(new EncodedEvent("message", Integer.toString(i), null, big, -1));
    }
    assertEquals(1, output.writes, "one write, then the connection was full");
    output.becomeReady();
    assertEquals(2, output.writes);
    output.becomeReady();
    assertEquals(3, output.writes);
    assertEquals(List.of("1", "2", "3"), output.received());
    assertEquals(List.of(), closes);
  }

  @Test
  void whatAStreamHoldsQueuedIsBoundedInBytesCatchUpIncluded() {
    Log log = new Log(400, 6000, 64);
    ClientStream stream = stream(1024, 64 * 1024);
    stream.goLive(log.from(1, 64), false, log); // a client that has not read yet
    assertTrue(
        stream.queuedBytes() <= 64 * 1024 + 6100,
        "at most the bound, one message over it at the most: " + stream.queuedBytes());
    assertTrue(stream.queuedBytes() > 48 * 1024, "and the bound is used: " + stream.queuedBytes());
    assertEquals(List.of(), log.reads, "the next page waits for the client");
    output.becomeReady();
    assertEquals(ids(1, 400), output.received(), "and it all arrives, in order, once it reads");
    for (int i = 0; i < 10; i++) {
      stream.send(log.event(401 + i));
    }
    assertEquals(ids(1, 410), output.received());
    output.ready = false;
    assertThrows(
        IllegalStateException.class,
        () -> {
          for (int i = 0; i < 20; i++) {
            stream.send(List.of(log.event(411 + i)));
          }
        },
        "live events past the byte bound cut the stream off");
    assertEquals(List.of(RoomMember.CloseReason.TOO_SLOW), closes);
  }

  @Test
  void aCatchUpTheLogCanNoLongerContinueEndsTheStream() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(
        List.of(message("1")),
        false,
        after -> {
          throw new IllegalStateException("trimmed past " + after);
        });
    assertEquals(List.of("1"), output.received());
    assertEquals(
        List.of(RoomMember.CloseReason.SERVER_CLOSED),
        closes,
        "the client resumes and is told why");
  }

  @Test
  void aSentEventsStageCompletesWhenWrittenAndFailsWhenDropped() {
    ClientStream stream = stream(64);
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    var written = stream.send(message("1")).toCompletableFuture();
    assertTrue(!written.isDone(), "not written while the connection takes nothing");
    output.becomeReady();
    assertTrue(written.isDone() && !written.isCompletedExceptionally(), "written");
    output.ready = false;
    var dropped = stream.send(message("2")).toCompletableFuture();
    stream.close();
    assertTrue(dropped.isCompletedExceptionally(), "dropped when the stream ended first");
    assertTrue(
        stream.send(message("3")).toCompletableFuture().isCompletedExceptionally(),
        "a closed sink takes nothing");
  }

  @Test
  void nothingIsWrittenBeforeTheConnectionIsReadyThenEverythingInOneWrite() {
    ClientStream stream = stream(64);
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    stream.send(message("1"));
    stream.send(message("2"));
    assertEquals("", output.written.toString());
    output.becomeReady();
    assertEquals(List.of("connected", "1", "2"), output.received());
    assertEquals(1, output.writes, "queued events go out together");
  }

  @Test
  void aFullConnectionHoldsEventsUntilTheContainerSaysItTakesMore() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    output.ready = false; // the client stopped reading for a while
    stream.send(message("1"));
    stream.send(message("2"));
    assertEquals(List.of("connected"), output.received());
    output.becomeReady();
    assertEquals(List.of("connected", "1", "2"), output.received());
  }

  @Test
  void aClientTooFarBehindIsCutOffAndForgotten() {
    ClientStream stream = stream(16);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    output.ready = false;
    for (int i = 0; i < 16; i++) {
      stream.send(message(Integer.toString(i)));
    }
    assertThrows(IllegalStateException.class, () -> stream.send(List.of(message("16"))));
    assertEquals(List.of(RoomMember.CloseReason.TOO_SLOW), closes);
    assertTrue(stream.isClosed());
    assertThrows(IllegalStateException.class, () -> stream.send(List.of(message("17"))));
    assertEquals(
        1,
        output.dropCalls,
        "the output is told at once to drop the response (no clean end for a client behind)");
    assertEquals(0, output.closeCalls);
    output.becomeReady();
    assertEquals(List.of("connected"), output.received(), "nothing is written after the cut");
    assertEquals(1, output.dropCalls, "and told once");
  }

  @Test
  void anIdleStreamEndsItsResponseOnce() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    stream.close();
    stream.close();
    assertEquals(1, output.closeCalls);
    assertEquals(List.of(RoomMember.CloseReason.SERVER_CLOSED), closes);
  }

  @Test
  void aFailedWriteClosesTheStream() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    output.broken = true;
    stream.send(message("1"));
    assertEquals(List.of(RoomMember.CloseReason.CLIENT_GONE), closes);
    assertTrue(stream.isClosed());
  }

  @Test
  void aConnectionTheContainerEndedIsNeverEndedAgain() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    stream.failed();
    stream.close();
    assertEquals(0, output.closeCalls);
    assertEquals(List.of(RoomMember.CloseReason.CLIENT_GONE), closes);
  }

  @Test
  void finishingWritesWhatIsQueuedThenTheLastEventThenEnds() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), true, NO_MORE);
    output.ready = false;
    stream.send(message("1"));
    stream.finish(named("shutdown"));
    stream.send(message("2")); // after the goodbye: not sent
    assertEquals(0, output.closeCalls);
    output.becomeReady();
    assertEquals(List.of("connected", "1", "shutdown"), output.received());
    assertEquals(1, output.closeCalls);
  }
}
