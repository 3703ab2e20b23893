package io.parley.store;

import io.lettuce.core.ScriptOutputType;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends a message to a room's Redis stream, in one step with what goes with it: the id of the
 * entry before it, the room's listing, and the idempotency key's first answer.
 */
final class RedisAppend {

  /**
   * Appends an entry to KEYS[1], trimmed to ARGV[1] entries, whose fields are ARGV[4..] and {@value
   * #PREVIOUS}: the id of the entry before it ({@code 0-0} when the stream was empty or gone), so a
   * reader that continues from an id can tell whether what it read follows it directly. Lists the
   * room ARGV[2] in KEYS[2]. With an idempotency key KEYS[3], the key's message (a hash, kept
   * ARGV[3] seconds) is answered if it has one, else made. One script, so nothing comes between
   * these steps: two posts under one key, on any nodes, store one message.
   */
  private static final String APPEND =
      """
      if KEYS[3] then
        local first = redis.call('HGETALL', KEYS[3])
        if #first > 0 then return {'replayed', first} end
      end
      local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
      local previous = '0-0'
      if #newest > 0 then previous = newest[1][1] end
      redis.call('SADD', KEYS[2], ARGV[2])
      local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'previous', previous, unpack(ARGV, 4))
      if KEYS[3] then
        redis.call('HSET', KEYS[3], 'id', id, 'room', ARGV[2], unpack(ARGV, 4))
        redis.call('EXPIRE', KEYS[3], ARGV[3])
      end
      return {'stored', id}
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
   * Appends a message, trimming the room to the history size; with {@code key}, the message first
   * stored under it instead, if there is one (then {@link Appended#replayed}).
   */
  Appended run(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                Integer.toString(historySize),
                room,
                key == null ? "0" : Long.toString(Math.max(1, key.keep().toSeconds())),
                "author",
                author,
                "text",
                text,
                "sentAt",
                sentAt.toString()));
    if (integration) {
      arguments.addAll(List.of("integration", "true"));
    }
    String[] keys =
        key == null
            ? new String[] {redis.roomKey(room), redis.roomsKey()}
            : new String[] {
              redis.roomKey(room), redis.roomsKey(), redis.idempotencyKey(key.poster(), key.key())
            };
    List<Object> answer =
        redis.call(
            "append to room " + room,
            commands ->
                commands.eval(
                    APPEND, ScriptOutputType.MULTI, keys, arguments.toArray(String[]::new)));
    if ("stored".equals(answer.get(0))) {
      return new Appended(
          new Message((String) answer.get(1), room, author, text, sentAt, integration), false);
    }
    Map<String, String> first = new HashMap<>();
    List<?> fields = (List<?>) answer.get(1);
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      first.put((String) fields.get(i), (String) fields.get(i + 1));
    }
    return new Appended(
        new Message(
            first.get("id"),
            first.get("room"),
            first.get("author"),
            first.get("text"),
            Instant.parse(first.get("sentAt")),
            "true".equals(first.get("integration"))),
        true);
  }
}
