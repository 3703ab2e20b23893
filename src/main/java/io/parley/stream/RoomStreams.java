package io.parley.stream;

import io.parley.config.ParleyConfig;
import io.parley.core.AppendListener;
import io.parley.core.Entry;
import io.parley.core.MessageLog;
import io.parley.core.Presence;
import io.parley.core.Repeating;
import io.parley.core.RoomDirectory;
import io.parley.core.TypingSignals;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Owns every room's {@link RoomStream}, the threads they use ({@link StreamThreads}) and the
 * heartbeat. A room's stream is made when its first client connects and closed when the application
 * stops.
 */
@ApplicationScoped
public class RoomStreams implements RoomDirectory {

  /** How long a stop waits for streams to write what is queued for them and their goodbye. */
  static final int FINISH_SECONDS = 5;

  private final ConcurrentHashMap<String, RoomStream> rooms = new ConcurrentHashMap<>();
  private final StreamCounter counter = new StreamCounter();
  private final ParleyConfig config;
  private final MessageLog log;
  private final Presence presence;
  private final Jsonb jsonb;
  private final StreamThreads threads;
  private final RoomSetup setup;

  /**
   * On SIGTERM the container starts ending open requests as soon as it stops; this hook, run at the
   * same moment, lets each stream end with its goodbye first (the container waits for that).
   */
  private final Thread stopHook = new Thread(this::finishStreams, "parley-stop");

  @Inject
  public RoomStreams(
      ParleyConfig config,
      MessageLog log,
      Presence presence,
      TypingSignals typing,
      StreamObserver observer) {
    this.config = config;
    this.log = log;
    this.presence = presence;
    this.jsonb = JsonbBuilder.create();
    this.threads = new StreamThreads();
    ScheduledExecutorService heartbeat = threads.timer;
    this.setup =
        new RoomSetup(
            log,
            presence,
            config.replaySize(),
            config.recentSize(),
            config.recentBytes(),
            config.streamMaxPending(),
            config.streamMaxPendingBytes(),
            counter,
            observer,
            heartbeat,
            threads.foreignWriters,
            threads.fanOut,
            threads.helpers,
            threads.cores,
            threads.catchUpReaders);
    long every = config.heartbeat().toMillis();
    Repeating.every(
        heartbeat, every, "the heartbeat", () -> rooms.values().forEach(RoomStream::ping));
    if (presence.shared()) {
      // Other nodes' nicks come and go (or expire with their node) without telling this one.
      long check = Presence.CHECK_EVERY.toMillis();
      Repeating.every(
          heartbeat,
          check,
          "reading other nodes' presence",
          () -> rooms.values().forEach(RoomStream::refreshPresence));
    }
    long sweep = Math.max(1000, Math.min(config.roomIdle().toMillis() / 2, 60_000));
    Repeating.every(heartbeat, sweep, "retiring idle rooms", this::retireIdleRooms);
    log.onAppend(
        new AppendListener() {
          @Override
          public void appended(Entry entry) {
            deliver(entry);
          }

          @Override
          public void historyLost(String room) {
            restart(room);
          }
        });
    typing.onTyped(
        (room, nick) -> {
          RoomStream stream = rooms.get(room);
          if (stream != null) {
            stream.typed(nick);
          }
        });
    Runtime.getRuntime().addShutdownHook(stopHook);
  }

  /** For the CDI proxy only. */
  protected RoomStreams() {
    this.config = null;
    this.log = null;
    this.presence = null;
    this.jsonb = null;
    this.threads = null;
    this.setup = null;
  }

  /**
   * The room's stream, made if the room had none; the log follows the room from then on. Fails with
   * the store's exception when the room cannot be followed now.
   */
  public RoomStream open(String room) {
    RoomStream stream = rooms.get(room);
    if (stream != null) {
      return stream;
    }
    log.follow(room); // may wait for the store: not under the map's lock
    return rooms.computeIfAbsent(
        room, name -> new RoomStream(name, new EventEncoder(jsonb, config.retryMillis()), setup));
  }

  /**
   * Lets go of rooms that have had no stream for {@code parley.room.idle-seconds}: they leave this
   * node's memory and the log stops following them (their messages stay in the store); the next
   * stream makes the room again. A stream that joins a room being retired joins the new one.
   */
  private void retireIdleRooms() {
    long deadline = System.nanoTime() - config.roomIdle().toNanos();
    for (RoomStream room : rooms.values()) {
      rooms.computeIfPresent(
          room.name(),
          (name, current) -> {
            if (current != room || !room.retireIfIdleSince(deadline)) {
              return current;
            }
            log.unfollow(name); // under the map's lock, so no stream follows it again in between
            presence.forget(name);
            return null;
          });
    }
  }

  /**
   * Ends every stream of a room whose history is gone; its clients reconnect and are told to reset.
   */
  private void restart(String room) {
    RoomStream stream = rooms.remove(room);
    if (stream != null) {
      stream.close();
    }
  }

  public Optional<RoomStream> find(String room) {
    return Optional.ofNullable(rooms.get(room));
  }

  /** Sends a stored entry to the room's streams, if anyone listens. */
  public void deliver(Entry entry) {
    RoomStream stream = rooms.get(entry.room());
    if (stream != null) {
      stream.deliver(entry);
    }
  }

  @Override
  public Map<String, List<String>> heldRooms() {
    Map<String, List<String>> held = new TreeMap<>();
    rooms.forEach((name, room) -> held.put(name, room.online()));
    return held;
  }

  /**
   * Who is online in a room this node has no stream of (nobody, unless other nodes share presence).
   */
  @Override
  public List<String> onlineElsewhere(String room) {
    return presence.onlineNow(room);
  }

  @Override
  public void endBanned(String room, Predicate<String> banned, Instant until) {
    RoomStream stream = rooms.get(room);
    if (stream != null) {
      stream.endBanned(banned, until);
    }
  }

  @Override
  public void endStreamsIn(String room, Predicate<String> gone, String reason) {
    RoomStream stream = rooms.get(room);
    if (stream != null) {
      stream.endStreamsOf(gone, reason);
    }
  }

  /**
   * The rooms this node holds now (some stream opened in each within {@code
   * parley.room.idle-seconds}), by name.
   */
  public Map<String, RoomStream> listened() {
    return Map.copyOf(rooms);
  }

  public int openStreams() {
    return counter.open();
  }

  /**
   * On undeploy or stop: every stream gets what is queued for it and a goodbye, then ends cleanly
   * (they get up to {@value #FINISH_SECONDS} s for that); then whatever is left is closed.
   */
  @PreDestroy
  void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopHook);
    } catch (IllegalStateException e) {
      // the JVM is stopping: the hook has run or runs now
    }
    threads.stopTimer();
    finishStreams();
    try {
      counter.awaitNone(TimeUnit.SECONDS.toMillis(FINISH_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    rooms.values().forEach(RoomStream::close);
    threads.stop();
    try {
      jsonb.close();
    } catch (Exception e) {
      // nothing left to release
    }
  }

  private void finishStreams() {
    rooms.values().forEach(RoomStream::finish);
  }

  /** The node's timer thread (heartbeats, presence): for short tasks that must not wait. */
  public ScheduledExecutorService timer() {
    return threads.timer;
  }
}
