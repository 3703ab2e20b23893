package io.parley.stream;

import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Presence;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live side of one room: its streams, the fan-out of its events to them, and who is online. A
 * room is a JAX-RS {@link SseBroadcaster}: Parley's own streams join it with their catch-up ({@link
 * #join}); any other {@link SseEventSink} may be {@linkplain #register registered} and gets what is
 * broadcast from then on. Created and closed by {@link RoomStreams}.
 */
public final class RoomStream implements SseBroadcaster {

  private static final Logger LOG = Logger.getLogger(RoomStream.class.getName());

  /**
   * What a room needs from its owner: the log, presence, the limits, the scheduler, and the threads
   * that fan events out: a room's rounds run on {@code fanOut}, and a round to many streams is
   * split in up to {@code parts} parts, the others handed to {@code helpers}; the pages of
   * catch-ups after the first are read on {@code catchUpReaders}; each room keeps its newest {@code
   * recentSize} messages (at most {@code recentBytes} of text) in memory.
   */
  record Setup(
      MessageLog log,
      Presence presence,
      int replaySize,
      int recentSize,
      int recentBytes,
      int maxPending,
      int maxPendingBytes,
      StreamCounter counter,
      StreamObserver observer,
      ScheduledExecutorService scheduler,
      Executor foreignWriters,
      Executor fanOut,
      Executor helpers,
      int parts,
      Executor catchUpReaders) {}

  /** When the server stops, each stream is told to come back within this many milliseconds. */
  static final long GOODBYE_RETRY_MILLIS = 1000;

  private final String name;
  private final EventEncoder events;
  private final Setup setup;
  private final RoomCatchUp catchUps;
  private final FanOut fanOut;
  private final RoomPresence presence;

  // Guarded by this.
  private final Set<RoomMember> clients = new HashSet<>();

  /**
   * The streams an event goes to: a copy of {@link #clients}, made again by the first event after
   * they changed (null until then), so that a burst of joins costs one copy, not one each; guarded
   * by this.
   */
  private RoomMember[] streams = new RoomMember[0];

  private boolean closed;

  /** Closed for having been idle: no stream joins it any more (see {@link #retireIfIdleSince}). */
  private boolean retired;

  /** When the room last had no stream ({@link System#nanoTime}); meaningful while it has none. */
  private long idleSince = System.nanoTime();

  private final List<BiConsumer<SseEventSink, Throwable>> errorListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<SseEventSink>> closeListeners = new CopyOnWriteArrayList<>();

  RoomStream(String name, EventEncoder events, Setup setup) {
    this.name = name;
    this.events = events;
    this.setup = setup;
    this.catchUps = new RoomCatchUp(name, setup, events);
    this.fanOut = new FanOut(name, setup.fanOut(), setup.helpers(), setup.parts());
    this.presence =
        new RoomPresence(
            name,
            this,
            setup.presence(),
            events,
            setup.scheduler(),
            event -> offer(event, null),
            () -> closed);
  }

  public String name() {
    return name;
  }

  /**
   * Registers a client's stream (its output is the client's connection), catches it up from {@code
   * lastEventId} and lets it go live. The client is registered before the log is read, so a message
   * is either in what was read or queued live (or both, and then sent once). False, with nothing
   * done, if the room was {@linkplain #retireIfIdleSince retired} meanwhile: the caller joins the
   * room's new stream instead.
   */
  public boolean join(EventOutput output, String nick, String lastEventId) {
    synchronized (this) {
      if (retired) {
        return false;
      }
    }
    ClientStream client =
        new ClientStream(
            UUID.randomUUID().toString(),
            nick,
            output,
            setup.maxPending(),
            setup.maxPendingBytes(),
            setup.observer(),
            setup.catchUpReaders(),
            this::left);
    boolean arrived;
    synchronized (this) {
      if (closed) {
        LOG.log(
            Level.FINE,
            "Stream {0} not joined: room {1} is closed",
            new Object[] {client.connectionId(), name});
        client.close(RoomMember.CloseReason.SERVER_CLOSED);
        return true;
      }
      clients.add(client);
      arrived = nick != null && presence.arrived(nick);
    }
    if (arrived) {
      presence.refresh();
    }
    OutboundSseEvent presenceNow;
    int open;
    synchronized (this) {
      // Before anything else reaches this client. If the others are told of this nick only
      // later (presence is coalesced), this client already counts itself.
      presenceNow = events.presence(name, presence.withNick(nick), null, null);
      open = clients.size();
      streams = null; // live events reach it from now on
    }
    int total = setup.counter().opened();
    LOG.log(
        Level.FINE,
        "Stream {0} opened in room {1} for nick {2} after id {3}"
            + " ({4} in the room, {5} on this node)",
        new Object[] {client.connectionId(), name, nick, lastEventId, open, total});

    CatchUp catchUp;
    try {
      catchUp = catchUps.plan(lastEventId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot catch up a stream in room " + name + "; closing it", e);
      client.close(RoomMember.CloseReason.SERVER_CLOSED);
      return true;
    }
    List<OutboundSseEvent> start = new ArrayList<>();
    start.add(events.connected(name, client.connectionId()));
    start.add(presenceNow);
    catchUp
        .reset()
        .ifPresent(
            reason -> start.add(events.reset(reason.label(), catchUp.oldestId().orElse(null))));
    catchUp.messages().forEach(message -> start.add(events.message(message)));
    setup.observer().caughtUp(catchUp.messages().size());
    client.goLive(start, catchUp.complete(), catchUps::after);
    return true;
  }

  /**
   * Retires the room if it has had no stream since {@code deadlineNanos} ({@link System#nanoTime}):
   * it is closed, and a stream that comes later joins a new one. True if it was retired now.
   */
  synchronized boolean retireIfIdleSince(long deadlineNanos) {
    if (closed || !clients.isEmpty() || idleSince - deadlineNanos > 0) {
      return false;
    }
    closed = true;
    retired = true;
    return true;
  }

  /**
   * Sends a stored message to every stream of the room; callers deliver in the log's order. It is
   * among the recent messages before any stream is handed it, so a stream that joins meanwhile gets
   * it from one or the other (or both, and then once).
   */
  public void deliver(Message message) {
    catchUps.delivered(message);
    offer(events.message(message), null);
  }

  void ping() {
    offer(events.ping(), null);
  }

  /**
   * Who is online in the room as its streams were last told (every node's nicks in cluster mode).
   */
  public synchronized List<String> online() {
    return presence.shown();
  }

  /** Tells the room's streams who is online, if that changed; see {@link RoomPresence#refresh}. */
  void refreshPresence() {
    presence.refresh();
  }

  public synchronized int openStreams() {
    return clients.size();
  }

  private void left(ClientStream client, RoomMember.CloseReason reason) {
    left(
        client,
        reason,
        reason == RoomMember.CloseReason.TOO_SLOW
            ? new IllegalStateException("stream " + client.connectionId() + " fell too far behind")
            : null);
  }

  /** A member ended; the room's listeners hear of it ({@link #onError} first if it failed). */
  private void left(RoomMember member, RoomMember.CloseReason reason, Throwable failure) {
    int open;
    String departed = null;
    synchronized (this) {
      if (!clients.remove(member)) {
        return;
      }
      streams = null;
      open = clients.size();
      if (open == 0) {
        idleSince = System.nanoTime();
      }
      String nick = member.nick();
      if (nick != null && presence.departed(nick)) {
        departed = nick;
      }
    }
    if (reason == RoomMember.CloseReason.TOO_SLOW) {
      setup.observer().cutOff();
    }
    if (departed != null) {
      refreshPresence();
    }
    int total = setup.counter().closed();
    LOG.log(
        Level.FINE,
        "Stream {0} closed in room {1}: {2} ({3} in the room, {4} on this node)",
        new Object[] {member.sink(), name, reason, open, total});
    if (failure != null) {
      errorListeners.forEach(listener -> listener.accept(member.sink(), failure));
    }
    closeListeners.forEach(listener -> listener.accept(member.sink()));
  }

  /**
   * Registers a sink that is not one of Parley's streams: it gets every event broadcast from now
   * on, written on threads of its own (it may block), and is closed if it falls too far behind.
   * Parley's own streams join with {@link #join} instead, which catches them up first.
   */
  @Override
  public void register(SseEventSink sink) {
    synchronized (this) {
      requireOpen();
      clients.add(
          new ForeignSink(
              sink,
              setup.foreignWriters(),
              setup.maxPending(),
              (foreign, failure) ->
                  left(
                      foreign,
                      failure == null
                          ? RoomMember.CloseReason.CLIENT_GONE
                          : RoomMember.CloseReason.TOO_SLOW,
                      failure)));
      streams = null;
    }
    setup.counter().opened();
  }

  /** Sends an event to every sink the room has now; the stage completes once each has it. */
  @Override
  public CompletionStage<?> broadcast(OutboundSseEvent event) {
    synchronized (this) {
      requireOpen();
    }
    CompletableFuture<Void> handed = new CompletableFuture<>();
    offer(event, handed);
    return handed;
  }

  @Override
  public void onError(BiConsumer<SseEventSink, Throwable> onError) {
    errorListeners.add(onError);
  }

  @Override
  public void onClose(Consumer<SseEventSink> onClose) {
    closeListeners.add(onClose);
  }

  /** Guarded by this. */
  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("room " + name + " is closed");
    }
  }

  /**
   * Offers an event to every stream the room has now; a stream that joins later does not get it (it
   * is in the stream's catch-up, or was told before it).
   */
  private void offer(OutboundSseEvent event, CompletableFuture<Void> handed) {
    RoomMember[] to;
    synchronized (this) {
      if (streams == null) {
        streams = clients.toArray(RoomMember[]::new);
      }
      to = streams;
    }
    fanOut.offer(event, to, handed);
  }

  /**
   * Ends every stream cleanly when the server stops: each gets what is queued for it, then a
   * goodbye with a short, random {@code retry:} (so browsers come back soon, and not all at once),
   * then the end of the stream. No stream joins after this.
   */
  void finish() {
    List<RoomMember> remaining;
    synchronized (this) {
      closed = true;
      remaining = List.copyOf(clients);
    }
    for (RoomMember member : remaining) {
      if (member instanceof ClientStream client) {
        client.finish(events.goodbye(ThreadLocalRandom.current().nextLong(GOODBYE_RETRY_MILLIS)));
      } else {
        member.close(RoomMember.CloseReason.SERVER_CLOSED);
      }
    }
  }

  /**
   * Closes the room and every sink in it at once (its listeners hear of each); a second call does
   * nothing, and after it {@link #register} and {@link #broadcast} throw {@link
   * IllegalStateException}.
   */
  @Override
  public void close() {
    close(true);
  }

  /** As {@link #close()}; without {@code cascading} the sinks are let go but left open. */
  @Override
  public void close(boolean cascading) {
    List<RoomMember> remaining;
    synchronized (this) {
      closed = true;
      remaining = List.copyOf(clients);
      if (!cascading) {
        clients.clear();
        streams = null;
      }
    }
    if (cascading) {
      remaining.forEach(member -> member.close(RoomMember.CloseReason.SERVER_CLOSED));
    }
  }
}
