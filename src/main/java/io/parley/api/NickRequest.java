package io.parley.api;

/** The body of {@code POST /api/sessions}: the nick the session is to hold. */
public record NickRequest(String nick) {}
