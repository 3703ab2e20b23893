package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {

  private final AtomicLong now = new AtomicLong();
  private final ClientRateLimit limit =
      new ClientRateLimit(LimitExceededException.Limit.POSTS_PER_CLIENT, 2, 3, now::get);

  @Test
  void aBurstThenTheRateWithRetryAfterInWholeSeconds() {
    for (int i = 0; i < 3; i++) {
      assertDoesNotThrow(() -> limit.admit("a"));
    }
    LimitExceededException refused =
        assertThrows(LimitExceededException.class, () -> limit.admit("a"));
    assertEquals(429, refused.limit().status());
    assertEquals(1, refused.retryAfterSeconds());
    assertDoesNotThrow(() -> limit.admit("b"), "another client has its own bucket");

    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // one post back at 2 per second
    assertDoesNotThrow(() -> limit.admit("a"));
    assertThrows(LimitExceededException.class, () -> limit.admit("a"));
  }

  @Test
  void refusedPostsDoNotDelayTheNextOne() {
    for (int i = 0; i < 3; i++) {
      limit.admit("a");
    }
    for (int i = 0; i < 10; i++) {
      assertThrows(LimitExceededException.class, () -> limit.admit("a"));
    }
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertDoesNotThrow(() -> limit.admit("a"));
  }
}
