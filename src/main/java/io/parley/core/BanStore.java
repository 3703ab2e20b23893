package io.parley.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who is banned from which room, until when: shared by every node. A nick is banned by its key (its
 * confusable skeleton), so its look-alikes are banned with it. Bans that have ended count for
 * nothing and are cleared in time.
 */
public interface BanStore {

  /** A ban: {@code nick} as the moderator wrote it, {@code by} the moderator. */
  record Ban(String room, String nickKey, String nick, Instant until, String by) {}

  /** Bans the nick from the room until {@code ban.until()}, over any ban it had there. */
  void ban(Ban ban);

  /** Lifts the nick's ban in the room; false if it had none in force. */
  boolean lift(String room, String nickKey, Instant now);

  /** The nick's ban in the room, if one is in force at {@code now}. */
  Optional<Ban> find(String room, String nickKey, Instant now);

  /** The room's bans in force at {@code now}, by nick key. */
  List<Ban> bans(String room, Instant now);

  /** Every ban in force at {@code now}, in every room. */
  List<Ban> all(Instant now);
}
