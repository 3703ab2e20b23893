package io.parley.chat;

/**
 * A post's {@code Idempotency-Key} as sent, and who sent it: an integration's token, else the
 * client's address.
 */
public record PostKey(String poster, String key) {}
