package io.parley.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.IdempotencyKey;
import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.core.RoomSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A message log whose calls are timed ({@code parley.store.latency} by operation) and whose appends
 * are counted.
 */
final class TimedMessageLog implements MessageLog {

  private final MessageLog log;
  private final Counter posted;
  private final Timer append;
  private final Timer read;

  TimedMessageLog(MessageLog log, MeterRegistry registry) {
    this.log = log;
    this.posted =
        Counter.builder("parley.messages.posted").description("Messages stored").register(registry);
    this.append = timer(registry, "append");
    this.read = timer(registry, "read");
  }

  private static Timer timer(MeterRegistry registry, String operation) {
    return Timer.builder("parley.store.latency")
        .description("Time the message store takes")
        .tag("operation", operation)
        .publishPercentileHistogram()
        .register(registry);
  }

  @Override
  public Appended append(
      String room,
      String author,
      String text,
      Instant sentAt,
      boolean integration,
      IdempotencyKey key) {
    Appended appended =
        append.record(() -> log.append(room, author, text, sentAt, integration, key));
    if (!appended.replayed()) {
      posted.increment();
    }
    return appended;
  }

  @Override
  public List<Message> latest(String room, int limit) {
    return read.record(() -> log.latest(room, limit));
  }

  @Override
  public Resume after(String room, String id, int limit) {
    return read.record(() -> log.after(room, id, limit));
  }

  @Override
  public Optional<Message> find(String room, String id) {
    return read.record(() -> log.find(room, id));
  }

  @Override
  public boolean isAfter(String later, String earlier) {
    return log.isAfter(later, earlier);
  }

  @Override
  public Optional<String> oldestId(String room) {
    return read.record(() -> log.oldestId(room));
  }

  @Override
  public List<RoomSummary> rooms(String after, int limit) {
    return read.record(() -> log.rooms(after, limit));
  }

  @Override
  public void onAppend(AppendListener listener) {
    log.onAppend(listener);
  }

  @Override
  public void follow(String room) {
    log.follow(room);
  }

  @Override
  public void unfollow(String room) {
    log.unfollow(room);
  }

  @Override
  public boolean isAvailable() {
    return log.isAvailable();
  }

  @Override
  public void close() {
    log.close();
  }
}
