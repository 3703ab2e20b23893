package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    int writes;
    int closeCalls;

    @Override
    public void listen(Listener listener) {
      this.listener = listener;
    }

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
      if (!ready) {
        throw new IllegalStateException("written while not ready");
      }
      if (broken) {
        throw new IOException("broken pipe");
      }
      writes++;
      written.append(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      closeCalls++;
    }

    /** The container's word that the connection takes bytes (again). */
    void becomeReady() {
      ready = true;
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

  private final RecordingOutput output = new RecordingOutput();
  private final List<ClientStream.CloseReason> closes = new ArrayList<>();

  private ClientStream stream(int maxPending) {
    output.ready = false;
    return new ClientStream("c1", "alice", output, maxPending, StreamObserver.NONE, (stream, reason) -> closes.add(reason));
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
    stream.goLive(List.of(named("connected"), message("1"), message("2"), message("3")), Set.of("1", "2", "3"));
    stream.send(message("3")); // …and one appended before the catch-up read but delivered after it
    stream.send(message("4"));
    assertEquals(List.of("connected", "1", "2", "3", "presence", "4"), output.received());
  }

  @Test
  void nothingIsWrittenBeforeTheConnectionIsReadyThenEverythingInOneWrite() {
    ClientStream stream = stream(64);
    stream.goLive(List.of(named("connected")), Set.of());
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
    stream.goLive(List.of(named("connected")), Set.of());
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
    stream.goLive(List.of(named("connected")), Set.of());
    output.ready = false;
    for (int i = 0; i < 16; i++) {
      stream.send(message(Integer.toString(i)));
    }
    assertThrows(IllegalStateException.class, () -> stream.send(message("16")));
    assertEquals(List.of(ClientStream.CloseReason.TOO_SLOW), closes);
    assertTrue(stream.isClosed());
    assertThrows(IllegalStateException.class, () -> stream.send(message("17")));
    assertEquals(0, output.closeCalls, "the response cannot end while the connection is full");
    output.becomeReady();
    assertEquals(List.of("connected"), output.received(), "nothing is written after the cut");
    assertEquals(1, output.closeCalls, "it ends as soon as the connection takes bytes again");
  }

  @Test
  void anIdleStreamEndsItsResponseOnce() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), Set.of());
    stream.close();
    stream.close();
    assertEquals(1, output.closeCalls);
    assertEquals(List.of(ClientStream.CloseReason.SERVER_CLOSED), closes);
  }

  @Test
  void aFailedWriteClosesTheStream() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), Set.of());
    output.broken = true;
    stream.send(message("1"));
    assertEquals(List.of(ClientStream.CloseReason.CLIENT_GONE), closes);
    assertTrue(stream.isClosed());
  }

  @Test
  void aConnectionTheContainerEndedIsNeverEndedAgain() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), Set.of());
    stream.failed();
    stream.close();
    assertEquals(0, output.closeCalls);
    assertEquals(List.of(ClientStream.CloseReason.CLIENT_GONE), closes);
  }

  @Test
  void finishingWritesWhatIsQueuedThenTheLastEventThenEnds() {
    ClientStream stream = stream(64);
    output.becomeReady();
    stream.goLive(List.of(named("connected")), Set.of());
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
