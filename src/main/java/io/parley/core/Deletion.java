package io.parley.core;

import java.time.Instant;

/** A message's removal, by its author or a moderator ({@code by}); {@code target} is its id. */
public record Deletion(String id, String room, String target, String by, Instant deletedAt)
    implements Entry {}
