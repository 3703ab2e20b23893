package io.parley.chat;

import io.parley.core.Message;

/**
 * The answer to a post: its message, and whether it was stored before under the same idempotency
 * key.
 */
public record Posted(Message message, boolean replayed) {}
