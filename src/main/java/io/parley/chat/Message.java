package io.parley.chat;

import java.time.Instant;

/** A stored chat message. {@code id} is opaque to clients; within a room its order is the room's order. */
public record Message(String id, String room, String author, String text, Instant sentAt) {}
