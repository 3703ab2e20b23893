package io.parley.core;

import java.util.function.BiConsumer;

/**
 * Typing signals: who typed in which room, heard by every node (in cluster mode through Redis, else
 * on this node alone). Nothing is stored, and a signal lost in an outage is simply not heard: the
 * next one, a second later, tells the same.
 */
public interface TypingSignals extends AutoCloseable {

  /** Someone with this nick typed in the room. Fails with the store's exception if it is down. */
  void typed(String room, String nick);

  /** Sets who hears of every node's signals (this node's included), each (room, nick). */
  void onTyped(BiConsumer<String, String> listener);

  @Override
  void close();
}
