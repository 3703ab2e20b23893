package io.parley.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.core.Message;
import io.parley.core.MessageLog;
import io.parley.core.Resume;
import io.parley.store.EmbeddedMessageLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatchUpTest {

  @TempDir Path dir;

  @Test
  void plansReplayResumeAndResets() {
    try (MessageLog log = new EmbeddedMessageLog(dir, 20)) {
      List<Message> posted = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        posted.add(
            log.append(
                "lobby",
                "alice",
                "m" + i,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                false));
      }
      CatchUp fresh = CatchUp.plan(log, "lobby", null, 5, 20);
      assertEquals(
          new CatchUp(Optional.empty(), Optional.empty(), posted.subList(25, 30), true, true),
          fresh);

      CatchUp resumed = CatchUp.plan(log, "lobby", posted.get(26).id(), 5, 20);
      assertEquals(
          new CatchUp(Optional.empty(), Optional.empty(), posted.subList(27, 30), true, false),
          resumed);

      // A page at a time: the first page, and the word that more follow.
      CatchUp paged = CatchUp.plan(log, "lobby", posted.get(12).id(), 5, 4);
      assertEquals(
          new CatchUp(Optional.empty(), Optional.empty(), posted.subList(13, 17), false, false),
          paged);

      CatchUp expired = CatchUp.plan(log, "lobby", posted.get(0).id(), 5, 20);
      assertEquals(
          new CatchUp(
              Optional.of(Resume.Reason.EXPIRED),
              Optional.of(posted.get(10).id()),
              posted.subList(25, 30),
              true,
              true),
          expired);

      assertEquals(
          Optional.of(Resume.Reason.MALFORMED),
          CatchUp.plan(log, "lobby", "bad id\r\nX: y", 5, 20).reset());
      assertEquals(
          Optional.of(Resume.Reason.UNKNOWN),
          CatchUp.plan(log, "lobby", "zzzzzz-3", 5, 20).reset());
    }
  }
}
