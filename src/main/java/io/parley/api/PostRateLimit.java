package io.parley.api;

import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Posts per client: {@code parley.limit.posts-burst} at once, then {@code
 * parley.limit.posts-per-second} (429).
 */
@ApplicationScoped
public class PostRateLimit {

  private final ClientRateLimit rate;

  @Inject
  public PostRateLimit(ParleyConfig config) {
    this.rate =
        new ClientRateLimit(
            LimitExceededException.Limit.POSTS_PER_CLIENT,
            config.postsPerSecond(),
            config.postsBurst(),
            System::nanoTime);
  }

  /** For the CDI proxy only. */
  protected PostRateLimit() {
    this.rate = null;
  }

  /**
   * Takes one post from the client's bucket, or throws with how long until the next one is free.
   */
  public void admit(String client) {
    rate.admit(client);
  }
}
