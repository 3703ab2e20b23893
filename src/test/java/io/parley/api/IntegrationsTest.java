package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.chat.Poster;
import jakarta.ws.rs.NotAuthorizedException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntegrationsTest {

  private final Map<String, String> tokens = Map.of("ci-bot", "s3cret", "deploy", "other");

  @Test
  void aValidTokenNamesItsIntegrationAndNoneIsAPerson() {
    Integrations integrations = new Integrations(tokens, true);
    assertEquals(Poster.integration("ci-bot"), integrations.poster("Bearer s3cret"));
    assertEquals(Poster.integration("deploy"), integrations.poster("bearer   other"));
    assertEquals(Poster.PERSON, integrations.poster(null));
  }

  @Test
  void wrongTokensAndOtherSchemesAre401() {
    Integrations integrations = new Integrations(tokens, true);
    for (String header :
        new String[] {"Bearer s3cre", "Bearer s3cret2", "Bearer", "Basic czNjcmV0", "s3cret"}) {
      assertThrows(NotAuthorizedException.class, () -> integrations.poster(header), header);
    }
  }

  @Test
  void withoutAnonymousPostingEveryPostNeedsAToken() {
    Integrations integrations = new Integrations(tokens, false);
    assertThrows(NotAuthorizedException.class, () -> integrations.poster(null));
    assertEquals(Poster.integration("ci-bot"), integrations.poster("Bearer s3cret"));
  }

  @Test
  void aScopedTokenCarriesItsRooms() {
    Integrations integrations =
        new Integrations(
            Map.of("ci-bot", "s3cret", "deploy", "other"),
            Map.of("deploy", List.of("releases", "ops-*")),
            Map.of(),
            true);
    assertEquals(
        Poster.integration("deploy", List.of("releases", "ops-*")),
        integrations.poster("Bearer other"));
    assertEquals(List.of(), integrations.poster("Bearer s3cret").grants());
  }

  @Test
  void aModeratorsSecretNamesTheModeratorAndNoIntegrationsDoes() {
    Integrations integrations =
        new Integrations(tokens, Map.of(), Map.of("mod-olga", "m0d-secret"), true);
    assertEquals(Poster.moderator("mod-olga"), integrations.poster("Bearer m0d-secret"));
    assertEquals(Optional.of("mod-olga"), integrations.moderatorOf("m0d-secret"));
    assertEquals(Optional.empty(), integrations.moderatorOf("s3cret"));
    assertEquals(Optional.empty(), integrations.moderatorOf("m0d-secre"));
  }
}
