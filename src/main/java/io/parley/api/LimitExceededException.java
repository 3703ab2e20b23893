package io.parley.api;

/**
 * A request refused by a limit: 429 for one client's limits, 503 for the node's; always with {@code
 * Retry-After}.
 */
public class LimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which limit; also the {@code reason} label of the rejected-requests metric. */
  public enum Limit {
    POSTS_PER_CLIENT(429, "too many posts from this client"),
    STREAMS_PER_CLIENT(429, "too many open streams from this client"),
    STREAM_OPENS_PER_CLIENT(429, "this client opens streams too often"),
    SESSION_STARTS_PER_CLIENT(429, "this client starts sessions too often"),
    INVITE_TRIES_PER_CLIENT(429, "this client tries invites too often"),
    TYPING_PER_CLIENT(429, "this client sends typing signals too often"),
    STREAMS_PER_NODE(503, "too many open streams on this server");

    private final int status;
    private final String what;

    Limit(int status, String what) {
      this.status = status;
      this.what = what;
    }

    public int status() {
      return status;
    }

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final Limit limit;
  private final long retryAfterSeconds;

  public LimitExceededException(Limit limit, long retryAfterSeconds) {
    super("Refused: " + limit.what + "; try again in " + retryAfterSeconds + " s.");
    this.limit = limit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Limit limit() {
    return limit;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
