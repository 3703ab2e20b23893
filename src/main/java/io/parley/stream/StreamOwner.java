package io.parley.stream;

import io.parley.core.RoomDirectory;
import java.time.Instant;

/**
 * Whom a stream is for: the nick it counts as online (or null), who it uses a private room as
 * ({@code accessAs}: the signed-in nick, {@link #INTEGRATION}, or null for anyone), and when what
 * signed its client in expires (or null).
 */
public record StreamOwner(String nick, String accessAs, Instant endsAt) {

  /** What {@code accessAs} says of an integration's stream. */
  public static final String INTEGRATION = RoomDirectory.INTEGRATION_ACCESS;
}
