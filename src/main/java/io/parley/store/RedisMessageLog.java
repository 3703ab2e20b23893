package io.parley.store;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
    this.follower = new RedisFollower(redis, this::message);
  }

  @Override
  public Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    return append.run(room, author, text, sentAt, integration, key);
  }

  @Override
  public List<Message> latest(String room, int limit) {
    List<Message> newestFirst =
        messages(
            room,
            redis.call(
                "read room " + room,
                c -> c.xrevrange(redis.roomKey(room), Range.create("-", "+"), Limit.from(limit))));
    List<Message> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
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
            return new Resume.Continue(messages(room, following));
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
  public Optional<Message> find(String room, String id) {
    if (StreamId.parse(id).isEmpty()) {
      return Optional.empty();
    }
    return messages(
            room,
            redis.call(
                "read room " + room, c -> c.xrange(redis.roomKey(room), Range.create(id, id))))
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

  private List<Message> messages(String room, List<StreamMessage<String, String>> entries) {
    return entries.stream().map(entry -> message(room, entry)).toList();
  }

  Message message(String room, StreamMessage<String, String> entry) {
    Map<String, String> body = entry.getBody();
    return new Message(
        entry.getId(),
        room,
        body.get("author"),
        body.get("text"),
        Instant.parse(body.get("sentAt")),
        "true".equals(body.get("integration")));
  }

  /** The id of a stream's newest entry, if it has any. */
  static Optional<String> lastId(RedisCommands<String, String> commands, String key) {
    return commands.xrevrange(key, Range.create("-", "+"), Limit.from(1)).stream()
        .map(StreamMessage::getId)
        .findFirst();
  }
}
