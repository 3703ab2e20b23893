package io.parley.store;

import io.lettuce.core.ScriptOutputType;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends an entry to a room's Redis stream, in one step with what goes with it: the id of the
 * entry before it, the room's listing, what an edit or deletion changes ({@link RedisEntries}), and
 * the idempotency key's first answer.
 */
final class RedisAppend {

  /**
   * Appends an entry of kind ARGV[4] to KEYS[1], trimmed to ARGV[1] entries, whose fields are
   * ARGV[8..] and {@value #PREVIOUS}: the id of the entry before it ({@code 0-0} when the stream
   * was empty or gone), so a reader that continues from an id can tell whether what it read follows
   * it directly. Lists the room ARGV[2] in KEYS[2]. An edit or deletion of message ARGV[5] made at
   * ARGV[6] records the message's new state in KEYS[3] (the new text, or who deleted it: ARGV[7]),
   * unless the message is gone or deleted: then the entry is stored withdrawn, without its text;
   * what KEYS[3] holds of messages trimmed from the stream goes once it holds more than ARGV[1].
   * With an idempotency key KEYS[4], the key's entry (a hash, kept ARGV[3] seconds) is answered if
   * it has one, else made. One script, so nothing comes between these steps: two appends under one
   * key, on any nodes, store one entry.
   */
  private static final String APPEND =
      """
      if KEYS[4] then
        local first = redis.call('HGETALL', KEYS[4])
        if #first > 0 then return {'replayed', first} end
      end
      local fields = {unpack(ARGV, 8)}
      local kind = ARGV[4]
      local withdrawn = '0'
      if kind ~= 'message' then
        local change = redis.call('HGET', KEYS[3], ARGV[5])
        local standing = (not change or string.sub(change, 1, 1) ~= 'D')
          and #redis.call('XRANGE', KEYS[1], ARGV[5], ARGV[5]) > 0
        if standing then
          local mark = 'E|'
          if kind == 'delete' then mark = 'D|' end
          redis.call('HSET', KEYS[3], ARGV[5], mark .. ARGV[6] .. '|' .. ARGV[7])
        else
          withdrawn = '1'
          for i = 1, #fields, 2 do
            if fields[i] == 'text' then fields[i + 1] = '' end
          end
          table.insert(fields, 'withdrawn')
          table.insert(fields, 'true')
        end
      end
      local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      local previous = '0-0'
      if #newest > 0 then previous = newest[1][1] end
      redis.call('SADD', KEYS[2], ARGV[2])
      local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'previous', previous, unpack(fields))
      if KEYS[4] then
        redis.call('HSET', KEYS[4], 'id', id, 'room', ARGV[2], unpack(fields))
        redis.call('EXPIRE', KEYS[4], ARGV[3])
      end
      if kind ~= 'message' and redis.call('HLEN', KEYS[3]) > tonumber(ARGV[1]) then
        local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
        if #oldest > 0 then
          local oms, oseq = string.match(oldest[1][1], '(%d+)-(%d+)')
          for _, field in ipairs(redis.call('HKEYS', KEYS[3])) do
            local ms, seq = string.match(field, '(%d+)-(%d+)')
            if ms and (tonumber(ms) < tonumber(oms)
                or (tonumber(ms) == tonumber(oms) and tonumber(seq) < tonumber(oseq))) then
              redis.call('HDEL', KEYS[3], field)
            end
          end
        end
      end
      return {'stored', id, withdrawn}
      """;

  /** The field of every entry that holds the id of the entry appended just before it. */
  static final String PREVIOUS = "previous";

  private final Redis redis;
  private final int historySize;

  RedisAppend(Redis redis, int historySize) {
    this.redis = redis;
    this.historySize = historySize;
  }

  /**
   * Appends a message, trimming the room to the history size; with {@code key}, the entry first
   * stored under it instead, if there is one (then {@link Appended#replayed}).
   */
  Appended message(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    List<String> fields =
        new ArrayList<>(List.of("author", author, "text", text, "sentAt", sentAt.toString()));
    if (integration) {
      fields.addAll(List.of("integration", "true"));
    }
    return run(room, "message", "", sentAt, "", fields, key);
  }

  /** Appends an edit of message {@code target}, as {@link #message} does a message. */
  Appended edit(
      String room, String target, String author, String text, Instant at, IdempotencyKey key) {
    List<String> fields =
        List.of(
            RedisEntries.KIND,
            RedisEntries.EDIT,
            "target",
            target,
            "author",
            author,
            "text",
            text,
            "sentAt",
            at.toString());
    return run(room, RedisEntries.EDIT, target, at, text, fields, key);
  }

  /** Appends the deletion of message {@code target}, as {@link #message} does a message. */
  Appended delete(String room, String target, String by, Instant at, IdempotencyKey key) {
    List<String> fields =
        List.of(
            RedisEntries.KIND,
            RedisEntries.DELETE,
            "target",
            target,
            "author",
            by,
            "text",
            "",
            "sentAt",
            at.toString());
    return run(room, RedisEntries.DELETE, target, at, by, fields, key);
  }

  private Appended run(
      String room,
      String kind,
      String target,
      Instant at,
      String change,
      List<String> fields,
      IdempotencyKey key) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                Integer.toString(historySize),
                room,
                key == null ? "0" : Long.toString(Math.max(1, key.keep().toSeconds())),
                kind,
                target,
                at.toString(),
                change));
    arguments.addAll(fields);
    List<String> keys =
        new ArrayList<>(List.of(redis.roomKey(room), redis.roomsKey(), redis.changesKey(room)));
    if (key != null) {
      keys.add(redis.idempotencyKey(key.poster(), key.key()));
    }
    List<Object> answer =
        redis.call(
            "append to room " + room,
            commands ->
                commands.eval(
                    APPEND,
                    ScriptOutputType.MULTI,
                    keys.toArray(String[]::new),
                    arguments.toArray(String[]::new)));
    Map<String, String> body = new HashMap<>();
    if ("stored".equals(answer.get(0))) {
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        body.put(fields.get(i), fields.get(i + 1));
      }
      if ("1".equals(answer.get(2))) {
        body.put("text", "");
        body.put("withdrawn", "true");
      }
      return new Appended(RedisEntries.raw(room, (String) answer.get(1), body), false);
    }
    List<?> first = (List<?>) answer.get(1);
    for (int i = 0; i + 1 < first.size(); i += 2) {
      body.put((String) first.get(i), (String) first.get(i + 1));
    }
    return new Appended(RedisEntries.raw(body.get("room"), body.get("id"), body), true);
  }
}
