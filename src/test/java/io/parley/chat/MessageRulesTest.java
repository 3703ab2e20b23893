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
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> rules.check(new PostMessage(author, text)));
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
    for (String bad :
        new String[] {null, "", "Lobby", "-x", ".x", "a b", "x".repeat(65), "../etc"}) {
      assertEquals(false, RoomName.isValid(bad), bad);
    }
  }

  private final MessageRules withBot =
      new MessageRules(TestConfig.with(Map.of("parley.tokens", "ci-bot:secret")));

  /** Look-alikes of an integration's name are its name; names nobody can see whole are refused. */
  @Test
  void lookAlikesOfAnIntegrationsNameAreReservedAndInvisibleCharactersRefused() {
    for (String lookAlike :
        List.of(
            "ci-bot",
            "CI-BOT",
            " Ci-Bot ",
            "ci\u2010bot",
            "ci-b\u043et",
            "\uff43\uff49\uff0d\uff42\uff4f\uff54",
            "c\u0131-bot")) {
      assertThrows(
          ReservedNameException.class,
          () -> withBot.checkNotReserved(new PostMessage(lookAlike, "x").normalized().author()),
          lookAlike);
      assertThrows(ReservedNameException.class, () -> withBot.checkNick(lookAlike), lookAlike);
    }
    for (String hidden :
        List.of(
            "\u202etob-ic", "ci\u200bbot", "al\u2066ice", "\ue000bob", "x\u0378", "\ufeffeve")) {
      InvalidInputException author =
          assertThrows(
              InvalidInputException.class,
              () -> withBot.check(new PostMessage(hidden, "hi").normalized()),
              hidden);
      assertEquals("author", author.errors().get(0).field());
      InvalidInputException nick =
          assertThrows(InvalidInputException.class, () -> withBot.checkNick(hidden), hidden);
      assertEquals("nick", nick.errors().get(0).field());
    }
    for (String name :
        List.of("alice", "Zo\u00eb", "\u674e\u96f7", "Jos\u00e9", "ci-bot2", "bot")) {
      assertDoesNotThrow(() -> withBot.check(new PostMessage(name, "hi").normalized()), name);
      assertDoesNotThrow(() -> withBot.checkNotReserved(name), name);
    }
    assertEquals(
        "ci-bot",
        new PostMessage("\uff43\uff49\uff0d\uff42\uff4f\uff54", "x").normalized().author(),
        "stored as NFKC");
  }
}
