package io.parley.core;

import java.time.Duration;

/**
 * A poster's key for one post ({@code Idempotency-Key}): an append with the same poster and key
 * within {@code keep} of the first stores nothing and gives back the first message.
 */
public record IdempotencyKey(String poster, String key, Duration keep) {}
