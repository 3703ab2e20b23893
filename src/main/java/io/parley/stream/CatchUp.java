package io.parley.stream;

import io.parley.chat.Message;
import io.parley.store.MessageLog;
import io.parley.store.Resume;
import java.util.List;
import java.util.Optional;

/**
 * What a client gets before it goes live: every retained message after its {@code Last-Event-ID},
 * or, without one (or with one the log cannot continue from exactly), the latest messages, behind
 * a reset saying why.
 */
record CatchUp(Optional<Resume.Reason> reset, Optional<String> oldestId, List<Message> messages) {

  static CatchUp plan(MessageLog log, String room, String lastEventId, int replaySize, int historySize) {
    if (lastEventId == null) {
      return new CatchUp(Optional.empty(), Optional.empty(), log.latest(room, replaySize));
    }
    Resume resume = log.after(room, lastEventId, historySize);
    if (resume instanceof Resume.Continue exact) {
      return new CatchUp(Optional.empty(), Optional.empty(), exact.messages());
    }
    Resume.Reason reason = ((Resume.Reset) resume).reason();
    return new CatchUp(Optional.of(reason), log.oldestId(room), log.latest(room, replaySize));
  }
}
