package io.parley.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Who is online in the rooms, as the live side of a node knows it. */
public interface RoomDirectory {

  /** Who an integration's stream uses its room as (see {@link #endStreamsIn}). */
  String INTEGRATION_ACCESS = "\u0000integration";

  /**
   * The rooms this node holds now, by name, each with who is online as its streams were last told.
   */
  Map<String, List<String>> heldRooms();

  /**
   * Who is online in a room this node does not hold (nobody, unless other nodes share presence).
   */
  List<String> onlineElsewhere(String room);

  /**
   * Ends this node's streams in {@code room} whose access {@code gone} says is gone (it is given
   * who each stream uses the room as: a signed-in nick, an integration's mark, or null for anyone),
   * each with {@code event: shutdown} and {@code reason}.
   */
  void endStreamsIn(String room, Predicate<String> gone, String reason);

  /**
   * Ends this node's streams in {@code room} whose nick {@code banned} accepts (given the stream's
   * nick, or null), each with {@code event: banned} saying the ban lasts {@code until}.
   */
  void endBanned(String room, Predicate<String> banned, Instant until);
}
