package io.parley.stream;

import io.parley.core.Entry;
import io.parley.core.Message;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
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

  /** When the server stops, each stream is told to come back within this many milliseconds. */
  static final long GOODBYE_RETRY_MILLIS = 1000;

  /** The reason of the {@code shutdown} that ends a stream whose sign-in expired. */
  static final String TOKEN_EXPIRED = "token-expired";

  private final String name;
  private final EventEncoder events;
  private final RoomSetup setup;
  private final RoomCatchUp catchUps;
  private final FanOut fanOut;
  private final RoomPresence presence;
  private final RoomMembers members = new RoomMembers();
  private final BroadcastListeners listeners = new BroadcastListeners();
  private final SignInExpiries expiries;
  private final RoomTyping typing;

  RoomStream(String name, EventEncoder events, RoomSetup setup) {
    this.name = name;
    this.events = events;
    this.setup = setup;
    this.catchUps = new RoomCatchUp(name, setup, events);
    this.fanOut = new FanOut(name, setup.fanOut(), setup.helpers(), setup.parts());
    this.expiries = new SignInExpiries(setup.scheduler());
    this.typing = new RoomTyping(name, events, setup.scheduler(), event -> offer(event, null));
    this.presence =
        new RoomPresence(
            name,
            members,
            setup.presence(),
            events,
            setup.scheduler(),
            event -> offer(event, null),
            members::isClosed);
  }

  public String name() {
    return name;
  }

  /**
   * Registers a client's stream (its output is the client's connection), catches it up from {@code
   * lastEventId} and lets it go live. The client is registered before the log is read, so a message
   * is either in what was read or queued live (or both, and then sent once). False, with nothing
   * done, if the room was {@linkplain #retireIfIdleSince retired} meanwhile: the caller joins the
   * room's new stream instead. With {@code endsAt} (what signed the client in expires then), the
   * stream ends at that moment with {@code event: shutdown} and the reason {@code token-expired},
   * so the client comes back with a fresh one.
   */
  public boolean join(EventOutput output, StreamOwner owner, String lastEventId) {
    String nick = owner.nick();
    Instant endsAt = owner.endsAt();
    if (members.isRetired()) {
      return false;
    }
    ClientStream client =
        new ClientStream(
            UUID.randomUUID().toString(),
            nick,
            owner.accessAs(),
            output,
            setup.maxPending(),
            setup.maxPendingBytes(),
            setup.observer(),
            setup.catchUpReaders(),
            this::left);
    boolean added;
    boolean arrived = false;
    synchronized (members) {
      added = members.add(client);
      if (added) {
        arrived = nick != null && presence.arrived(nick);
      }
    }
    if (!added) {
      LOG.log(
          Level.FINE,
          "Stream {0} not joined: room {1} is closed",
          new Object[] {client.connectionId(), name});
      client.close(RoomMember.CloseReason.SERVER_CLOSED);
      return true;
    }
    if (arrived) {
      presence.refresh();
    }
    OutboundSseEvent presenceNow;
    int open;
    synchronized (members) {
      // Before anything else reaches this client. If the others are told of this nick only
      // later (presence is coalesced), this client already counts itself.
      presenceNow = events.presence(name, presence.withNick(nick), null, null);
      open = members.size();
      members.changed(); // live events reach it from now on
    }
    int total = setup.counter().opened();
    LOG.log(
        Level.FINE,
        "Stream {0} opened in room {1} for nick {2} after id {3}"
            + " ({4} in the room, {5} on this node)",
        new Object[] {client.connectionId(), name, nick, lastEventId, open, total});

    RoomCatchUp.Start start;
    try {
      start = catchUps.start(client.connectionId(), presenceNow, lastEventId);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot catch up a stream in room " + name + "; closing it", e);
      client.close(RoomMember.CloseReason.SERVER_CLOSED);
      return true;
    }
    client.goLive(start.events(), start.complete(), catchUps::after);
    if (endsAt != null) {
      expiries.endAt(client, endsAt, () -> lastWords(TOKEN_EXPIRED));
    }
    return true;
  }

  /**
   * Retires the room if it has had no stream since {@code deadlineNanos} ({@link System#nanoTime}):
   * it is closed, and a stream that comes later joins a new one. True if it was retired now.
   */
  boolean retireIfIdleSince(long deadlineNanos) {
    return members.retireIfIdleSince(deadlineNanos);
  }

  /**
   * Sends a stored entry to every stream of the room; callers deliver in the log's order. It is
   * among the recent entries before any stream is handed it, so a stream that joins meanwhile gets
   * it from one or the other (or both, and then once). A message's author stops typing.
   */
  public void deliver(Entry entry) {
    catchUps.delivered(entry);
    offer(events.live(entry), null);
    if (entry instanceof Message message) {
      typing.stopped(message.author());
    }
  }

  /**
   * Ends the streams whose {@linkplain StreamOwner#accessAs access} {@code gone} says is gone, each
   * with what is queued for it, then {@code event: shutdown} with {@code reason}.
   */
  void endStreamsOf(Predicate<String> gone, String reason) {
    for (RoomMember member : members.matching(gone)) {
      if (member instanceof ClientStream client) {
        client.finish(lastWords(reason));
      }
    }
  }

  /**
   * A stream's last event: {@code shutdown} with {@code reason} and a short, random {@code retry:},
   * so browsers come back soon, and not all at once.
   */
  private OutboundSseEvent lastWords(String reason) {
    return events.shutdown(reason, ThreadLocalRandom.current().nextLong(GOODBYE_RETRY_MILLIS));
  }

  /**
   * Ends the streams of the nicks {@code banned} says a moderator banned from the room, each with
   * what is queued for it, then {@code event: banned} with when the ban ends.
   */
  void endBanned(Predicate<String> banned, Instant until) {
    for (RoomMember member : members.matchingNick(banned)) {
      if (member instanceof ClientStream client) {
        client.finish(events.banned(name, until));
      }
    }
  }

  /** Someone typed in the room (on any node); see {@link RoomTyping}. */
  void typed(String nick) {
    typing.typed(nick);
  }

  /** Who the room's streams were last told is typing. */
  public List<String> typing() {
    return typing.shown();
  }

  void ping() {
    offer(events.ping(), null);
  }

  /**
   * Who is online in the room as its streams were last told (every node's nicks in cluster mode).
   */
  public List<String> online() {
    synchronized (members) {
      return presence.shown();
    }
  }

  /** Tells the room's streams who is online, if that changed; see {@link RoomPresence#refresh}. */
  void refreshPresence() {
    presence.refresh();
  }

  public int openStreams() {
    return members.size();
  }

  /** A member ended; the room's listeners hear of it ({@link #onError} first if it failed). */
  private void left(RoomMember member, RoomMember.CloseReason reason, Throwable failure) {
    int open;
    String departed = null;
    synchronized (members) {
      if (!members.remove(member)) {
        return;
      }
      expiries.forget(member);
      open = members.size();
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
    listeners.left(member.sink(), failure);
  }

  /**
   * Registers a sink that is not one of Parley's streams: it gets every event broadcast from now
   * on, written on threads of its own (it may block), and is closed if it falls too far behind.
   * Parley's own streams join with {@link #join} instead, which catches them up first.
   */
  @Override
  public void register(SseEventSink sink) {
    synchronized (members) {
      requireAdded(new ForeignSink(sink, setup.foreignWriters(), setup.maxPending(), this::left));
      members.changed();
    }
    setup.counter().opened();
  }

  /** Sends an event to every sink the room has now; the stage completes once each has it. */
  @Override
  public CompletionStage<?> broadcast(OutboundSseEvent event) {
    if (members.isClosed()) {
      throw closedRoom();
    }
    CompletableFuture<Void> handed = new CompletableFuture<>();
    offer(event, handed);
    return handed;
  }

  @Override
  public void onError(BiConsumer<SseEventSink, Throwable> onError) {
    listeners.onError(onError);
  }

  @Override
  public void onClose(Consumer<SseEventSink> onClose) {
    listeners.onClose(onClose);
  }

  private void requireAdded(RoomMember member) {
    if (!members.add(member)) {
      throw closedRoom();
    }
  }

  private IllegalStateException closedRoom() {
    return new IllegalStateException("room " + name + " is closed");
  }

  /**
   * Offers an event to every stream the room has now; a stream that joins later does not get it (it
   * is in the stream's catch-up, or was told before it).
   */
  private void offer(OutboundSseEvent event, CompletableFuture<Void> handed) {
    fanOut.offer(event, members.current(), handed);
  }

  /**
   * Ends every stream cleanly when the server stops: each gets what is queued for it, then a
   * goodbye with a short, random {@code retry:} (so browsers come back soon, and not all at once),
   * then the end of the stream. No stream joins after this.
   */
  void finish() {
    for (RoomMember member : members.close(false)) {
      if (member instanceof ClientStream client) {
        client.finish(lastWords(EventEncoder.SERVER_STOPPING));
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
    List<RoomMember> remaining = members.close(!cascading);
    if (cascading) {
      remaining.forEach(member -> member.close(RoomMember.CloseReason.SERVER_CLOSED));
    }
  }
}
