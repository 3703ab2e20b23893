package io.parley.stream;

import io.parley.chat.Message;
import io.parley.store.MessageLog;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live side of one room: its {@link SseBroadcaster}, the streams registered with it, and who
 * is online. Created and closed by {@link RoomStreams}.
 */
public final class RoomStream {

  private static final Logger LOG = Logger.getLogger(RoomStream.class.getName());

  /** What a room needs from its owner: the log, the writers and the limits. */
  record Setup(
      MessageLog log,
      Presence presence,
      Executor writers,
      int replaySize,
      int historySize,
      int maxPending,
      StreamCounter counter,
      StreamObserver observer) {}

  private final String name;
  private final SseBroadcaster broadcaster;
  private final EventEncoder events;
  private final Setup setup;

  // Guarded by this.
  private final Set<ClientStream> clients = new HashSet<>();
  private final Map<String, Integer> streamsPerNick = new TreeMap<>();
  private List<String> shownOnline = List.of();
  private boolean closed;
  /** Held while presence is read and told, so that lists reach streams in the order they were read. */
  private final Object presenceTurn = new Object();

  RoomStream(String name, SseBroadcaster broadcaster, EventEncoder events, Setup setup) {
    this.name = name;
    this.broadcaster = broadcaster;
    this.events = events;
    this.setup = setup;
  }

  public String name() {
    return name;
  }

  /**
   * Registers a client's sink, catches it up from {@code lastEventId} and lets it go live. The
   * client is registered before the log is read, so a message is either in what was read or
   * queued live (or both, and then sent once). {@code beforeFirstWrite} gets the stream's handle
   * before anything is written to it.
   */
  public void join(SseEventSink sink, String nick, String lastEventId, Consumer<StreamHandle> beforeFirstWrite) {
    ClientStream client =
        new ClientStream(UUID.randomUUID().toString(), nick, sink, setup.writers(), setup.maxPending(), setup.observer(), this::left);
    beforeFirstWrite.accept(client);
    boolean arrived;
    synchronized (this) {
      if (closed) {
        client.close(ClientStream.CloseReason.SERVER_CLOSED);
        return;
      }
      clients.add(client);
      arrived = nick != null && streamsPerNick.merge(nick, 1, Integer::sum) == 1;
    }
    if (arrived) {
      setup.presence().arrived(name, nick);
      refreshPresence();
    }
    OutboundSseEvent presenceNow;
    int open;
    synchronized (this) {
      // After the others heard of this nick, before anything else reaches this client.
      presenceNow = events.presence(name, shownOnline, null, null);
      open = clients.size();
      broadcaster.register(client);
    }
    int total = setup.counter().opened();
    LOG.log(Level.FINE, "Stream {0} opened in room {1} for nick {2} after id {3} ({4} in the room, {5} on this node)",
        new Object[] {client.connectionId(), name, nick, lastEventId, open, total});

    CatchUp catchUp;
    try {
      catchUp = CatchUp.plan(setup.log(), name, lastEventId, setup.replaySize(), setup.historySize());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Cannot catch up a stream in room " + name + "; closing it", e);
      client.close(ClientStream.CloseReason.SERVER_CLOSED);
      return;
    }
    List<OutboundSseEvent> start = new ArrayList<>();
    start.add(events.connected(name, client.connectionId()));
    start.add(presenceNow);
    catchUp.reset().ifPresent(reason -> start.add(events.reset(reason.label(), catchUp.oldestId().orElse(null))));
    Set<String> ids = new HashSet<>();
    for (Message message : catchUp.messages()) {
      start.add(events.message(message));
      ids.add(message.id());
    }
    setup.observer().caughtUp(ids.size());
    client.goLive(start, ids);
  }

  /** Sends a stored message to every stream of the room; callers deliver in the log's order. */
  public void deliver(Message message) {
    broadcast(events.message(message));
  }

  void ping() {
    broadcast(events.ping());
  }

  /** Who is online in the room as its streams were last told (every node's nicks in cluster mode). */
  public synchronized List<String> online() {
    return shownOnline;
  }

  /**
   * Reads who is online (this node's nicks and, in cluster mode, the other nodes') and tells the
   * room's streams if that changed, naming who joined or left when it is one nick.
   */
  void refreshPresence() {
    synchronized (presenceTurn) {
      Set<String> local;
      synchronized (this) {
        local = Set.copyOf(streamsPerNick.keySet());
      }
      List<String> now = setup.presence().online(name, local);
      synchronized (this) {
        if (closed || now.equals(shownOnline)) {
          return;
        }
        Set<String> joined = new TreeSet<>(now);
        joined.removeAll(shownOnline);
        Set<String> left = new TreeSet<>(shownOnline);
        left.removeAll(now);
        shownOnline = now;
        boolean one = joined.size() + left.size() == 1;
        broadcast(events.presence(name, now,
            one && !joined.isEmpty() ? joined.iterator().next() : null,
            one && !left.isEmpty() ? left.iterator().next() : null));
      }
    }
  }

  public synchronized int openStreams() {
    return clients.size();
  }

  private void left(ClientStream client, ClientStream.CloseReason reason) {
    int open;
    String departed = null;
    synchronized (this) {
      if (!clients.remove(client)) {
        return;
      }
      open = clients.size();
      String nick = client.nick();
      if (nick != null && streamsPerNick.merge(nick, -1, Integer::sum) == 0) {
        streamsPerNick.remove(nick);
        departed = nick;
      }
    }
    if (reason == ClientStream.CloseReason.TOO_SLOW) {
      setup.observer().cutOff();
    }
    if (departed != null) {
      setup.presence().departed(name, departed);
      refreshPresence();
    }
    int total = setup.counter().closed();
    LOG.log(Level.FINE, "Stream {0} closed in room {1}: {2} ({3} in the room, {4} on this node)",
        new Object[] {client.connectionId(), name, reason, open, total});
  }

  private void broadcast(OutboundSseEvent event) {
    try {
      broadcaster.broadcast(event);
    } catch (RuntimeException e) {
      // Jersey 3.1 can throw here when a subscriber's buffer overflows (its issue 4551). Every
      // stream has been offered the event by then; the slow one is cut off by its own bound.
      LOG.log(Level.WARNING, "Broadcast in room " + name + " reported a failure", e);
    }
  }

  /** Ends every stream of the room; the broadcaster closes each registered sink. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    broadcaster.close();
    List<ClientStream> remaining;
    synchronized (this) {
      remaining = List.copyOf(clients);
    }
    remaining.forEach(client -> client.close(ClientStream.CloseReason.SERVER_CLOSED));
  }
}
