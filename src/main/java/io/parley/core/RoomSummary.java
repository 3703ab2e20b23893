package io.parley.core;

/** A room as the log knows it; {@code lastMessageId} is null before its first message. */
public record RoomSummary(String name, String lastMessageId) {}
