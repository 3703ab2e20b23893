package io.parley.transport;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How long the connection of a stream the server ended may stay open while its client takes
 * nothing, and the timer that makes sure of it where the container's asynchronous timeout alone
 * does not.
 */
public record CloseGrace(Duration grace, ScheduledExecutorService timer) {

  /**
   * How long a container's own asynchronous timeout is given to act before the timer steps in: a
   * container checks its timeouts about once a second (Tomcat).
   */
  static final long CONTAINER_CHECKS_MILLIS = 2000;
}
