package io.parley.store;

import io.parley.chat.Message;

/** What an append did: stored the message, or ({@code replayed}) found one stored under the same idempotency key. */
public record Appended(Message message, boolean replayed) {}
