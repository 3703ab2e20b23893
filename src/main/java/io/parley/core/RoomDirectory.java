package io.parley.core;

import java.util.List;
import java.util.Map;

/** Who is online in the rooms, as the live side of a node knows it. */
public interface RoomDirectory {

  /**
   * The rooms this node holds now, by name, each with who is online as its streams were last told.
   */
  Map<String, List<String>> heldRooms();

  /**
   * Who is online in a room this node does not hold (nobody, unless other nodes share presence).
   */
  List<String> onlineElsewhere(String room);
}
