package io.parley.core;

/**
 * An entry of a room's log: a {@link Message}, or a change to one ({@link Edit}, {@link Deletion}).
 * Every entry has its own id, in its room's order, and a client that resumes after an id is given
 * every entry after it, in that order.
 */
public sealed interface Entry permits Message, Edit, Deletion {

  String id();

  String room();
}
