package io.parley.core;

/** Told of messages appended to the rooms a node follows, by this node or any other. */
public interface AppendListener {

  /** An entry was appended; called once per entry, in each room's order. */
  void appended(Entry entry);

  /**
   * A followed room moved on without this node: its history was lost (a Redis that came back empty)
   * or trimmed past what the node told. Its streams must start over (their clients resume and are
   * told to reset), while the room stays followed.
   */
  void historyLost(String room);
}
