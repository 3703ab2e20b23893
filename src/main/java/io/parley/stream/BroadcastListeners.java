package io.parley.stream;

import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The listeners of a room's {@link SseBroadcaster#onError} and {@link SseBroadcaster#onClose}, and
 * telling them of a sink that left. Safe for any thread.
 */
final class BroadcastListeners {

  private final List<BiConsumer<SseEventSink, Throwable>> onError = new CopyOnWriteArrayList<>();
  private final List<Consumer<SseEventSink>> onClose = new CopyOnWriteArrayList<>();

  void onError(BiConsumer<SseEventSink, Throwable> listener) {
    onError.add(listener);
  }

  void onClose(Consumer<SseEventSink> listener) {
    onClose.add(listener);
  }

  /** A sink left the room: the error listeners hear first if it failed, then the close ones. */
  void left(SseEventSink sink, Throwable failure) {
    if (failure != null) {
      onError.forEach(listener -> listener.accept(sink, failure));
    }
    onClose.forEach(listener -> listener.accept(sink));
  }
}
