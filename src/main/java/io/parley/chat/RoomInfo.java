package io.parley.chat;

/** A room as {@code GET /api/rooms} lists it. */
public record RoomInfo(String name, int online, String lastMessageId) {}
