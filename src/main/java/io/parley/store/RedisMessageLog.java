package io.parley.store;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The message log of cluster mode: one Redis stream per room ({@code XADD} with an exact {@code
 * MAXLEN} of the history size), so every message has one id, the same on every node, in one order
 * per room. A {@link RedisFollower} reads what any node appends to the rooms this node follows.
 */
public final class RedisMessageLog implements MessageLog {

  private final Redis redis;
  private final RedisAppend append;
  private final RedisFollower follower;

  public RedisMessageLog(Redis redis, int historySize) {
    this.redis = redis;
    this.append = new RedisAppend(redis, historySize);
    this.follower =
        new RedisFollower(
            redis, (room, entry) -> RedisEntries.raw(room, entry.getId(), entry.getBody()));
  }

  @Override
  public Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    return append.message(room, author, text, sentAt, integration, key);
  }

  @Override
  public Appended edit(
      String room, String target, String author, String text, Instant at, IdempotencyKey key) {
    return append.edit(room, target, author, text, at, key);
  }

  @Override
  public Appended delete(String room, String target, String by, Instant at, IdempotencyKey key) {
    return append.delete(room, target, by, at, key);
  }

  /** Reads back from the newest entry a chunk at a time, until enough messages stand. */
  @Override
  public List<Entry> latest(String room, int messages) {
    String key = redis.roomKey(room);
    int chunk = Math.max(64, messages + 16);
    return redis.call(
        "read room " + room,
        c -> {
          List<Entry> newestFirst = new ArrayList<>();
          int standing = 0;
          Range.Boundary<String> before = Range.Boundary.unbounded();
          while (standing < messages) {
            List<StreamMessage<String, String>> read =
                c.xrevrange(key, Range.from(Range.Boundary.unbounded(), before), Limit.from(chunk));
            for (Entry entry : RedisEntries.current(c, redis, room, read)) {
              newestFirst.add(entry);
              if (entry instanceof Message message
                  && !message.removed()
                  && ++standing == messages) {
                break;
              }
            }
            if (read.size() < chunk) {
              break;
            }
            before = Range.Boundary.excluding(read.get(read.size() - 1).getId());
          }
          List<Entry> oldestFirst = new ArrayList<>(newestFirst);
          Collections.reverse(oldestFirst);
          return oldestFirst;
        });
  }

  @Override
  public Resume after(String room, String id, int limit) {
    Optional<StreamId> parsed = StreamId.parse(id);
    if (parsed.isEmpty()) {
      return new Resume.Reset(Resume.Reason.MALFORMED);
    }
    StreamId from = parsed.get();
    String key = redis.roomKey(room);
    return redis.call(
        "read room " + room,
        c -> {
          // Read first, then ask whether the id is still kept: trimming takes the oldest entries
          // first,
          // so if it is, nothing after it was trimmed before the read ended, and the read is exact.
          List<StreamMessage<String, String>> following =
              c.xrange(
                  key,
                  Range.from(Range.Boundary.excluding(id), Range.Boundary.unbounded()),
                  Limit.from(limit));
          if (!c.xrange(key, Range.create(id, id)).isEmpty()) {
            return new Resume.Continue(RedisEntries.current(c, redis, room, following));
          }
          // Gone or never there. Redis keeps no trace of what trimming removed (its
          // max-deleted-entry-id counts XDEL only), so an id older than the oldest kept one is
          // expired, even the one just before it.
          List<StreamMessage<String, String>> oldest =
              c.xrange(key, Range.create("-", "+"), Limit.from(1));
          if (!oldest.isEmpty()
              && from.compareTo(StreamId.parse(oldest.get(0).getId()).orElseThrow()) < 0) {
            return new Resume.Reset(Resume.Reason.EXPIRED);
          }
          return new Resume.Reset(Resume.Reason.UNKNOWN);
        });
  }

  @Override
  public Resume before(String room, String id, int limit) {
    if (StreamId.parse(id).isEmpty()) {
      return new Resume.Reset(Resume.Reason.MALFORMED);
    }
    return redis.call(
        "read room " + room,
        c -> {
          List<StreamMessage<String, String>> newestFirst =
              c.xrevrange(
                  redis.roomKey(room),
                  Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(id)),
                  Limit.from(limit));
          List<Entry> oldestFirst =
              new ArrayList<>(RedisEntries.current(c, redis, room, newestFirst));
          Collections.reverse(oldestFirst);
          return new Resume.Continue(oldestFirst);
        });
  }

  @Override
  public Optional<Entry> find(String room, String id) {
    if (StreamId.parse(id).isEmpty()) {
      return Optional.empty();
    }
    return redis
        .call(
            "read room " + room,
            c ->
                RedisEntries.current(
                    c, redis, room, c.xrange(redis.roomKey(room), Range.create(id, id))))
        .stream()
        .findFirst();
  }

  @Override
  public boolean isAfter(String later, String earlier) {
    Optional<StreamId> next = StreamId.parse(later);
    Optional<StreamId> previous = StreamId.parse(earlier);
    return next.isPresent() && previous.isPresent() && next.get().compareTo(previous.get()) > 0;
  }

  @Override
  public Optional<String> oldestId(String room) {
    return redis
        .call(
            "read room " + room,
            c -> c.xrange(redis.roomKey(room), Range.create("-", "+"), Limit.from(1)))
        .stream()
        .map(StreamMessage::getId)
        .findFirst();
  }

  @Override
  public List<RoomSummary> rooms(String after, int limit) {
    return redis.call(
        "list rooms",
        c ->
            c.smembers(redis.roomsKey()).stream()
                .filter(room -> after == null || room.compareTo(after) > 0)
                .sorted()
                .limit(limit)
                .map(room -> new RoomSummary(room, lastId(c, redis.roomKey(room)).orElse(null)))
                .toList());
  }

  @Override
  public void onAppend(AppendListener listener) {
    follower.start(listener);
  }

  @Override
  public void follow(String room) {
    follower.follow(room);
  }

  @Override
  public void unfollow(String room) {
    follower.unfollow(room);
  }

  @Override
  public boolean isAvailable() {
    try {
      return "PONG".equals(redis.call("answer a ping", c -> c.ping()));
    } catch (StoreException e) {
      return false;
    }
  }

  @Override
  public void close() {
    follower.close();
  }

  /** The id of a stream's newest entry, if it has any. */
  static Optional<String> lastId(RedisCommands<String, String> commands, String key) {
    return commands.xrevrange(key, Range.create("-", "+"), Limit.from(1)).stream()
        .map(StreamMessage::getId)
        .findFirst();
  }
}
