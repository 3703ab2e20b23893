package io.parley.core;

/**
 * What an append did: stored the message, or ({@code replayed}) found one stored under the same
 * idempotency key.
 */
public record Appended(Message message, boolean replayed) {}
