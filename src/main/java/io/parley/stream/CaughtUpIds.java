package io.parley.stream;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ids of the messages a stream's catch-up sent, so that their live copies are dropped once.
 * Only the latest {@code capacity} are kept: no more can be queued live as well. Not thread-safe:
 * its stream guards it.
 */
final class CaughtUpIds {

  private final int capacity;
  private final Set<String> ids = new LinkedHashSet<>();

  CaughtUpIds(int capacity) {
    this.capacity = capacity;
  }

  void add(String id) {
    ids.add(id);
    if (ids.size() > capacity) {
      ids.remove(ids.iterator().next());
    }
  }

  /**
   * Whether the catch-up sent this live message already. Live messages come in the log's order, so
   * the first one it did not send ends the filtering; events without an id are never its.
   */
  boolean sentAlready(String id) {
    if (ids.isEmpty() || id == null) {
      return false;
    }
    if (ids.remove(id)) {
      return true;
    }
    ids.clear();
    return false;
  }
}
