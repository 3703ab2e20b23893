package io.parley.stream;

import jakarta.ws.rs.sse.OutboundSseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ends a room's streams when what signed their clients in expires, each with its last event; a
 * stream that ends before that is forgotten ({@link #forget}), so nothing waits for it.
 * Thread-safe.
 */
final class SignInExpiries {

  private final ScheduledExecutorService timer;
  private final ConcurrentHashMap<ClientStream, ScheduledFuture<?>> due = new ConcurrentHashMap<>();

  SignInExpiries(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Finishes {@code client} with {@code last} at {@code endsAt}. */
  void endAt(ClientStream client, Instant endsAt, Supplier<OutboundSseEvent> last) {
    long delay = Math.max(0, Duration.between(Instant.now(), endsAt).toMillis());
    ScheduledFuture<?> expiry;
    try {
      expiry =
          timer.schedule(
              () -> {
                due.remove(client);
                client.finish(last.get());
              },
              delay,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      return; // the server stops: every stream ends now anyway
    }
    due.put(client, expiry);
    if (client.isClosed()) {
      forget(client); // it ended meanwhile
    }
  }

  /** The member left its room: its expiry, if it had one, is called off. */
  void forget(RoomMember member) {
    ScheduledFuture<?> expiry = due.remove(member);
    if (expiry != null) {
      expiry.cancel(false);
    }
  }
}
