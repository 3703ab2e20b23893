package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.glassfish.jersey.media.sse.OutboundEvent;
import org.junit.jupiter.api.Test;

class ClientStreamTest {

  /** The client's end of the connection: it records what reaches it. */
  static final class RecordingSink implements SseEventSink {
    final List<OutboundSseEvent> received = new ArrayList<>();
    boolean closed;
    int closeCalls;

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
      if (closed) {
        throw new IllegalStateException("closed");
      }
      received.add(event);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
      closeCalls++;
      closed = true;
    }
  }

  private final RecordingSink sink = new RecordingSink();
  private final List<ClientStream.CloseReason> closes = new ArrayList<>();

  private ClientStream stream(Executor writers, int maxPending) {
    return new ClientStream("c1", "alice", sink, writers, maxPending, StreamObserver.NONE, (stream, reason) -> closes.add(reason));
  }

  private static OutboundSseEvent message(String id) {
    return new OutboundEvent.Builder().name("message").id(id).data(String.class, "{}").build();
  }

  private static OutboundSseEvent named(String name) {
    return new OutboundEvent.Builder().name(name).data(String.class, "{}").build();
  }

  private List<String> received() {
    return sink.received.stream().map(e -> e.getId() != null ? e.getId() : e.getName()).toList();
  }

  @Test
  void catchUpComesFirstAndMessagesItHeldAreSentOnce() {
    ClientStream stream = stream(Runnable::run, 64);
    stream.send(message("2")); // delivered while the client was catching up…
    stream.send(named("presence"));
    stream.goLive(List.of(named("connected"), message("1"), message("2"), message("3")), Set.of("1", "2", "3"));
    stream.send(message("3")); // …and one appended before the catch-up read but delivered after it
    stream.send(message("4"));
    assertEquals(List.of("connected", "1", "2", "3", "presence", "4"), received());
  }

  @Test
  void aClientTooFarBehindIsCutOffAndForgotten() {
    List<Runnable> stuck = new ArrayList<>();
    ClientStream stream = stream(stuck::add, 16);
    stream.goLive(List.of(named("connected")), Set.of());
    for (int i = 0; i < 16; i++) {
      stream.send(message(Integer.toString(i)));
    }
    assertThrows(IllegalStateException.class, () -> stream.send(message("16")));
    assertEquals(List.of(ClientStream.CloseReason.TOO_SLOW), closes);
    assertTrue(stream.isClosed());
    assertThrows(IllegalStateException.class, () -> stream.send(message("17")));
    assertEquals(0, sink.closeCalls, "a writer is under way, so it closes the sink, not the broadcaster's thread");
    stuck.forEach(Runnable::run);
    assertEquals(List.of(), sink.received, "nothing is written after the cut");
    assertEquals(1, sink.closeCalls);
  }

  @Test
  void anIdleStreamClosesItsSinkAtOnce() {
    ClientStream stream = stream(Runnable::run, 64);
    stream.goLive(List.of(named("connected")), Set.of());
    stream.close();
    assertEquals(1, sink.closeCalls);
    stream.close();
    assertEquals(1, sink.closeCalls);
    assertEquals(List.of(ClientStream.CloseReason.SERVER_CLOSED), closes);
  }

  @Test
  void aFailedWriteClosesTheStreamOnceAndNeverClosesTheSinkAgain() {
    ClientStream stream = stream(Runnable::run, 64);
    stream.goLive(List.of(named("connected")), Set.of());
    sink.closed = true; // the client went away; Jersey closed the sink when the write failed
    stream.send(message("1"));
    stream.close();
    assertEquals(List.of(ClientStream.CloseReason.CLIENT_GONE), closes);
    assertEquals(0, sink.closeCalls, "a sink Jersey closed is not closed again");
  }
}
