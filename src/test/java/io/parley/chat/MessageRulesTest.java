package io.parley.chat;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.TestConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRulesTest {

  private final MessageRules rules =
      new MessageRules(TestConfig.with(Map.of("parley.message.max-length", "10")));

  private List<String> fieldsWithErrors(String author, String text) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> rules.check(new PostMessage(author, text)));
    return e.errors().stream().map(FieldError::field).distinct().toList();
  }

  @Test
  void acceptsOrdinaryMessagesWithNewlinesTabsAndEmoji() {
    assertDoesNotThrow(() -> rules.check(new PostMessage("alice", "hi\n\tthere")));
    assertDoesNotThrow(() -> rules.check(new PostMessage("a".repeat(32), "😀".repeat(10))));
  }

  @Test
  void refusesMissingBlankLongAndControlCharacters() {
    assertEquals(List.of("author", "text"), fieldsWithErrors(null, null));
    assertEquals(List.of("author", "text"), fieldsWithErrors(" ", "\n"));
    assertEquals(List.of("author"), fieldsWithErrors("a".repeat(33), "hi"));
    assertEquals(List.of("text"), fieldsWithErrors("alice", "x".repeat(11)));
    assertEquals(List.of("text"), fieldsWithErrors("alice", "nul\u0000"));
    assertEquals(List.of("text"), fieldsWithErrors("alice", "c1\u0085"));
    assertEquals(List.of("author"), fieldsWithErrors("ali\tce", "hi"));
    assertThrows(InvalidInputException.class, () -> rules.check(null));
  }

  @Test
  void formLineBreaksAreNormalizedBeforeTheRules() {
    PostMessage normalized = new PostMessage(" alice ", "one\r\ntwo").normalized();
    assertEquals(new PostMessage("alice", "one\ntwo"), normalized);
    assertDoesNotThrow(() -> rules.check(normalized));
  }

  @Test
  void roomNamesFollowThePattern() {
    assertEquals(true, RoomName.isValid("lobby-2.x_y"));
    for (String bad : new String[] {null, "", "Lobby", "-x", ".x", "a b", "x".repeat(65), "../etc"}) {
      assertEquals(false, RoomName.isValid(bad), bad);
    }
  }
}
