package io.parley.store;

import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.parley.core.Deletion;
import io.parley.core.Edit;
import io.parley.core.Entry;
import io.parley.core.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The entries of a room's Redis stream, and how they stand now. A stream entry never changes, so an
 * edit or deletion also records the message's state in the room's changes hash ({@link
 * Redis#changesKey}): {@code E|<editedAt>|<text>} or {@code D|<deletedAt>|<by>}, which every read
 * applies.
 */
final class RedisEntries {

  static final String KIND = "kind";
  static final String EDIT = "edit";
  static final String DELETE = "delete";

  private RedisEntries() {}

  /** An entry as it was appended, from its stream fields. */
  static Entry raw(String room, String id, Map<String, String> body) {
    String kind = body.get(KIND);
    Instant at = Instant.parse(body.get("sentAt"));
    if (EDIT.equals(kind)) {
      return new Edit(
          id,
          room,
          body.get("target"),
          body.get("author"),
          body.get("text"),
          at,
          "true".equals(body.get("withdrawn")));
    }
    if (DELETE.equals(kind)) {
      return new Deletion(id, room, body.get("target"), body.get("author"), at);
    }
    return Message.posted(
        id, room, body.get("author"), body.get("text"), at, "true".equals(body.get("integration")));
  }

  /** The entries, oldest first or newest first as read, as they stand now (one more read). */
  static List<Entry> current(
      RedisCommands<String, String> commands,
      Redis redis,
      String room,
      List<StreamMessage<String, String>> read) {
    List<Entry> raw = new ArrayList<>(read.size());
    Set<String> concerned = new LinkedHashSet<>();
    for (StreamMessage<String, String> entry : read) {
      Entry one = raw(room, entry.getId(), entry.getBody());
      raw.add(one);
      if (one instanceof Message message) {
        concerned.add(message.id());
      } else if (one instanceof Edit edit) {
        concerned.add(edit.target());
      }
    }
    if (concerned.isEmpty()) {
      return raw;
    }
    List<String> ids = List.copyOf(concerned);
    Map<String, String> changes = new HashMap<>();
    commands
        .hmget(redis.changesKey(room), ids.toArray(String[]::new))
        .forEach(kv -> kv.ifHasValue(value -> changes.put(kv.getKey(), value)));
    if (changes.isEmpty()) {
      return raw;
    }
    return raw.stream().map(entry -> applied(entry, changes)).toList();
  }

  private static Entry applied(Entry entry, Map<String, String> changes) {
    if (entry instanceof Message message && changes.containsKey(message.id())) {
      String[] change = changes.get(message.id()).split("\\|", 3);
      Instant at = Instant.parse(change[1]);
      return change[0].equals("D") ? message.deleted(change[2], at) : message.edited(change[2], at);
    }
    if (entry instanceof Edit edit
        && changes.getOrDefault(edit.target(), "").startsWith("D")
        && !edit.withdrawn()) {
      return edit.withdraw();
    }
    return entry;
  }
}
