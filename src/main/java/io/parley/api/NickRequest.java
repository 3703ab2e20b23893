package io.parley.api;

/**
 * The body of {@code POST /api/sessions}: the nick the session is to hold, and for a moderator's
 * own name, the moderator's secret (else null).
 */
public record NickRequest(String nick, String secret) {}
