package io.parley.core;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who is online in a room: this node's nicks, and in cluster mode every other node's too. Nothing
 * here may fail a stream or make a room wait: rooms call it under their locks and on the threads
 * that fan events out, so a shared record is written and read on threads of its own, and when it
 * cannot be reached, this node's own nicks are the answer.
 */
public interface Presence {

  /** How often rooms re-read a shared record, to see other nodes' changes. */
  Duration CHECK_EVERY = Duration.ofSeconds(2);

  /** A nick's first stream on this node opened in the room. */
  void arrived(String room, String nick);

  /** A nick's last stream on this node closed in the room. */
  void departed(String room, String nick);

  /**
   * Everyone online in the room, sorted, given this node's own nicks there, as last known; never
   * waits.
   */
  List<String> online(String room, Set<String> local);

  /**
   * Everyone online in a room this node has no stream in, sorted, read now: may wait for the shared
   * record, so only for a request's own thread.
   */
  List<String> onlineNow(String room);

  /** The room left this node's memory: its shared record need not be read for it any more. */
  void forget(String room);

  /** Whether other nodes change the answer (then rooms re-read it every {@link #CHECK_EVERY}). */
  boolean shared();
}
