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
  record Setup(MessageLog log, Executor writers, int replaySize, int historySize, int maxPending, StreamCounter counter) {}

  private final String name;
  private final SseBroadcaster broadcaster;
  private final EventEncoder events;
  private final Setup setup;

  // Guarded by this.
  private final Set<ClientStream> clients = new HashSet<>();
  private final Map<String, Integer> streamsPerNick = new TreeMap<>();
  private boolean closed;

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
        new ClientStream(UUID.randomUUID().toString(), nick, sink, setup.writers(), setup.maxPending(), this::left);
    beforeFirstWrite.accept(client);
    OutboundSseEvent presenceNow;
    int open;
    synchronized (this) {
      if (closed) {
        sink.close();
        return;
      }
      clients.add(client);
      open = clients.size();
      if (nick != null && streamsPerNick.merge(nick, 1, Integer::sum) == 1) {
        broadcast(events.presence(name, online(), nick, null));
      }
      presenceNow = events.presence(name, online(), null, null);
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
    client.goLive(start, ids);
  }

  /** Sends a stored message to every stream of the room; callers deliver in the log's order. */
  public void deliver(Message message) {
    broadcast(events.message(message));
  }

  void ping() {
    broadcast(events.ping());
  }

  public synchronized List<String> online() {
    return List.copyOf(streamsPerNick.keySet());
  }

  public synchronized int openStreams() {
    return clients.size();
  }

  private void left(ClientStream client, ClientStream.CloseReason reason) {
    int open;
    synchronized (this) {
      if (!clients.remove(client)) {
        return;
      }
      open = clients.size();
      String nick = client.nick();
      if (nick != null && streamsPerNick.merge(nick, -1, Integer::sum) == 0) {
        streamsPerNick.remove(nick);
        if (!closed) {
          broadcast(events.presence(name, online(), null, nick));
        }
      }
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
