package io.parley.chat;

import java.time.Instant;

/**
 * Something a moderator did (fired as a CDI event, so metrics count it): {@code action} is {@code
 * delete}, {@code ban} or {@code lift}; {@code subject} the message id or the nick.
 */
public record ModerationAction(
    String action, String room, String subject, String moderator, Instant at) {}
