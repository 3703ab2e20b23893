package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.parley.chat.PostMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostMessageReaderTest {

  private final PostMessageReader reader = new PostMessageReader();

  private PostMessage read(String body) throws IOException {
    return reader.readFrom(
        PostMessage.class,
        null,
        null,
        null,
        null,
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsAuthorAndTextAndLeavesMissingOnesNull() throws IOException {
    assertEquals(
        new PostMessage("alice", "hi"),
        read("{\"author\":\"alice\",\"text\":\"hi\",\"extra\":{\"a\":[1]}}"));
    assertEquals(new PostMessage(null, "hi"), read("{\"text\":\"hi\",\"author\":null}"));
  }

  @Test
  void refusesWhatIsNotAnObjectOfStrings() {
    for (String body :
        new String[] {
          "",
          "[]",
          "\"x\"",
          "{\"author\":1,\"text\":\"x\"}",
          "{\"author\":\"a\",\"text\":{}}",
          "{\"author\":",
          "[".repeat(5000)
        }) {
      assertThrows(MalformedBodyException.class, () -> read(body), body);
    }
  }

  @Test
  void truncatedNestedObjectsAreRefusedNotHungOn() {
    // JSON-B (Yasson 3.0) never returns from this body; the reader must answer at once.
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertThrows(MalformedBodyException.class, () -> read("{\"k\":{\"3\":\"x\"")));
  }
}
