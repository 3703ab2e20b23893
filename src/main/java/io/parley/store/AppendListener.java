package io.parley.store;

import io.parley.chat.Message;

/** Told of messages appended to the rooms a node follows, by this node or any other. */
public interface AppendListener {

  /** A message was appended; called once per message, in each room's order. */
  void appended(Message message);

  /** A followed room's history is gone (a Redis that came back empty): its streams must start over. */
  void historyLost(String room);
}
