package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamLimitsTest {

  private final StreamLimits limits = new StreamLimits(2, 3, 1000, 1000);

  @Test
  void perClientThenPerNodeAndPlacesComeBackOnceEach() {
    Runnable first = limits.admit("a");
    limits.admit("a");
    assertEquals(
        429, assertThrows(LimitExceededException.class, () -> limits.admit("a")).limit().status());
    limits.admit("b");
    assertEquals(
        503, assertThrows(LimitExceededException.class, () -> limits.admit("c")).limit().status());
    assertEquals(3, limits.open());

    first.run();
    first.run(); // a second release gives nothing back
    assertEquals(2, limits.open());
    limits.admit("c");
    assertEquals(
        503, assertThrows(LimitExceededException.class, () -> limits.admit("a")).limit().status());
  }
}
