package io.parley.stream;

import io.parley.core.TypingSignals;
import java.util.function.BiConsumer;

/** Typing signals on a single node: heard at once, by this node alone. */
public final class LocalTyping implements TypingSignals {

  private volatile BiConsumer<String, String> listener = (room, nick) -> {};

  @Override
  public void typed(String room, String nick) {
    listener.accept(room, nick);
  }

  @Override
  public void onTyped(BiConsumer<String, String> listener) {
    this.listener = listener;
  }

  @Override
  public void close() {}
}
