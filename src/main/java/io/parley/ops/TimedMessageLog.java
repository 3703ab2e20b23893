package io.parley.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.core.AppendListener;
import io.parley.core.Appended;
import io.parley.core.Entry;
import io.parley.core.IdempotencyKey;
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
  private final Counter edited;
  private final Counter deleted;
  private final Timer append;
  private final Timer read;

  TimedMessageLog(MessageLog log, MeterRegistry registry) {
    this.log = log;
    this.posted =
        Counter.builder("parley.messages.posted").description("Messages stored").register(registry);
    this.edited =
        Counter.builder("parley.messages.edited").description("Edits stored").register(registry);
    this.deleted =
        Counter.builder("parley.messages.deleted")
            .description("Deletions stored (by authors and moderators)")
            .register(registry);
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
  public Appended edit(
      String room, String target, String author, String text, Instant at, IdempotencyKey key) {
    Appended appended = append.record(() -> log.edit(room, target, author, text, at, key));
    if (!appended.replayed()) {
      edited.increment();
    }
    return appended;
  }

  @Override
  public Appended delete(String room, String target, String by, Instant at, IdempotencyKey key) {
    Appended appended = append.record(() -> log.delete(room, target, by, at, key));
    if (!appended.replayed()) {
      deleted.increment();
    }
    return appended;
  }

  @Override
  public List<Entry> latest(String room, int messages) {
    return read.record(() -> log.latest(room, messages));
  }

  @Override
  public Resume after(String room, String id, int limit) {
    return read.record(() -> log.after(room, id, limit));
  }

  @Override
  public Resume before(String room, String id, int limit) {
    return read.record(() -> log.before(room, id, limit));
  }

  @Override
  public Optional<Entry> find(String room, String id) {
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
