package io.parley.stream;

import io.parley.core.Presence;
import java.util.List;
import java.util.Set;

/** Presence on one node: who is online is who has a stream open here. */
public final class LocalPresence implements Presence {

  @Override
  public void arrived(String room, String nick) {}

  @Override
  public void departed(String room, String nick) {}

  @Override
  public List<String> online(String room, Set<String> local) {
    return local.stream().sorted().toList();
  }

  @Override
  public List<String> onlineNow(String room) {
    return List.of();
  }

  @Override
  public void forget(String room) {}

  @Override
  public boolean shared() {
    return false;
  }
}
