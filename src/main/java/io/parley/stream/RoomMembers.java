package io.parley.stream;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who is in one room (Parley's streams and registered sinks), the copy of them that events go to,
 * and whether the room is closed, or was retired for being idle.
 *
 * <p>Concurrency: one lock, this, which is the room's lock: {@link RoomPresence} counts nicks
 * holding it, and a room holds it to change membership and those counts together.
 */
final class RoomMembers {

  private final Set<RoomMember> members = new HashSet<>();

  /**
   * What events go to: a copy of {@link #members}, made again by the first event after {@link
   * #changed} (null until then), so that a burst of joins costs one copy, not one each.
   */
  private RoomMember[] current = new RoomMember[0];

  private boolean closed;

  /** Closed for having been idle: no stream joins it any more. */
  private boolean retired;

  /** When the room last had no member ({@link System#nanoTime}); meaningful while it has none. */
  private long idleSince = System.nanoTime();

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized boolean isRetired() {
    return retired;
  }

  /**
   * Adds a member, unless the room is closed (then false); events go to it once {@link #changed} is
   * called, so that its caller may first tell it what it must know before them.
   */
  synchronized boolean add(RoomMember member) {
    if (closed) {
      return false;
    }
    members.add(member);
    return true;
  }

  /** Events offered from now on go to the members as they are now. */
  synchronized void changed() {
    current = null;
  }

  /** Removes a member; false if it was not one. Events no longer go to it. */
  synchronized boolean remove(RoomMember member) {
    if (!members.remove(member)) {
      return false;
    }
    current = null;
    if (members.isEmpty()) {
      idleSince = System.nanoTime();
    }
    return true;
  }

  /** Parley's streams whose access (see {@link StreamOwner#accessAs}) matches {@code test}. */
  synchronized List<RoomMember> matching(Predicate<String> test) {
    return members.stream()
        .filter(member -> member instanceof ClientStream client && test.test(client.accessAs()))
        .toList();
  }

  /** The client streams whose nick (null for none) {@code test} accepts. */
  synchronized List<RoomMember> matchingNick(Predicate<String> test) {
    return members.stream()
        .filter(member -> member instanceof ClientStream client && test.test(client.nick()))
        .toList();
  }

  synchronized int size() {
    return members.size();
  }

  /** The members an event offered now goes to; the array is shared: never change it. */
  synchronized RoomMember[] current() {
    if (current == null) {
      current = members.toArray(RoomMember[]::new);
    }
    return current;
  }

  /**
   * Closes and retires the room if it has had no member since {@code deadlineNanos} ({@link
   * System#nanoTime}); true if it did now.
   */
  synchronized boolean retireIfIdleSince(long deadlineNanos) {
    if (closed || !members.isEmpty() || idleSince - deadlineNanos > 0) {
      return false;
    }
    closed = true;
    retired = true;
    return true;
  }

  /**
   * Closes the room: nothing is added after this. Returns the members it had; with {@code letGo}
   * they are no longer members (events no longer go to them).
   */
  synchronized List<RoomMember> close(boolean letGo) {
    closed = true;
    List<RoomMember> had = List.copyOf(members);
    if (letGo) {
      members.clear();
      current = null;
    }
    return had;
  }
}
