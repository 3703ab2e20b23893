package io.parley.stream;

import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import java.util.List;
import java.util.Optional;

/**
 * How a client's catch-up starts: the retained messages after its {@code Last-Event-ID}, one page
 * of them ({@code complete} when no more followed at the read), or, without an id (or with one the
 * log cannot continue from exactly), the latest messages, behind a reset saying why.
 */
record CatchUp(
    Optional<Resume.Reason> reset,
    Optional<String> oldestId,
    List<Message> messages,
    boolean complete) {

  static CatchUp plan(
      MessageLog log, String room, String lastEventId, int replaySize, int pageSize) {
    if (lastEventId == null) {
      return new CatchUp(Optional.empty(), Optional.empty(), log.latest(room, replaySize), true);
    }
    Resume resume = log.after(room, lastEventId, pageSize);
    if (resume instanceof Resume.Continue exact) {
      return new CatchUp(
          Optional.empty(), Optional.empty(), exact.messages(), exact.messages().size() < pageSize);
    }
    Resume.Reason reason = ((Resume.Reset) resume).reason();
    return new CatchUp(Optional.of(reason), log.oldestId(room), log.latest(room, replaySize), true);
  }
}
