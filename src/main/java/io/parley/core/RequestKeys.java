package io.parley.core;

import java.time.Duration;
import java.util.Optional;

/**
 * Idempotency keys of requests that are not log appends (a ban): the first request under a poster's
 * key is remembered with its answer for {@code keep}, on every node.
 */
public interface RequestKeys {

  /** What the first request under a key was, and what it was answered. */
  record First(String request, String answer) {}

  /**
   * Remembers {@code first} under the poster's key unless a request was remembered under it within
   * its time: then that one, and nothing is changed. Two calls that race, on any nodes, remember
   * one.
   */
  Optional<First> rememberFirst(String poster, String key, First first, Duration keep);
}
