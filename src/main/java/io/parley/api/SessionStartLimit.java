package io.parley.api;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sessions started per client: {@value #BURST} at once, then {@value #PER_SECOND} a second (429),
 * so that nobody takes every free nick in a moment.
 */
@ApplicationScoped
public class SessionStartLimit {

  static final int PER_SECOND = 1;
  static final int BURST = 10;

  private final ClientRateLimit rate =
      new ClientRateLimit(
          LimitExceededException.Limit.SESSION_STARTS_PER_CLIENT,
          PER_SECOND,
          BURST,
          System::nanoTime);

  /** Takes one start from the client's bucket, or throws with how long until the next is free. */
  public void admit(String client) {
    rate.admit(client);
  }
}
