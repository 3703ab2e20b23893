package io.parley.stream;

import io.parley.core.Entry;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import java.util.List;
import java.util.Optional;

/**
 * How a client's catch-up starts: the retained entries after its {@code Last-Event-ID}, one page of
 * them ({@code complete} when no more followed at the read), or, without an id (or with one the log
 * cannot continue from exactly), the latest messages as they stand ({@code fresh}: the stretch of
 * the log that holds them), behind a reset saying why.
 */
record CatchUp(
    Optional<Resume.Reason> reset,
    Optional<String> oldestId,
    List<? extends Entry> entries,
    boolean complete,
    boolean fresh) {

  static CatchUp plan(
      MessageLog log, String room, String lastEventId, int replaySize, int pageSize) {
    if (lastEventId == null) {
      return new CatchUp(
          Optional.empty(), Optional.empty(), log.latest(room, replaySize), true, true);
    }
    Resume resume = log.after(room, lastEventId, pageSize);
    if (resume instanceof Resume.Continue exact) {
      return new CatchUp(
          Optional.empty(),
          Optional.empty(),
          exact.entries(),
          exact.entries().size() < pageSize,
          false);
    }
    Resume.Reason reason = ((Resume.Reset) resume).reason();
    return new CatchUp(
        Optional.of(reason), log.oldestId(room), log.latest(room, replaySize), true, true);
  }
}
