package io.parley.core;

import java.time.Instant;

/**
 * A stored chat message. {@code id} is opaque to clients; within a room its order is the room's
 * order. {@code integration} is true when a system posted it with an API token, whose name is then
 * the author.
 */
public record Message(
    String id, String room, String author, String text, Instant sentAt, boolean integration) {}
