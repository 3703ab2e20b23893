package io.parley.config;

import java.time.Duration;
import java.util.Map;

/**
 * The settings of who may change what is said: the moderators' tokens ({@code moderators}, name to
 * secret, never logged), the claim of an identity provider's JWT that makes its user a moderator
 * when it says {@value #MODERATOR_ROLE} ({@code jwtRoleClaim}), and how long an author may edit or
 * delete their message ({@code editWindow}).
 */
public record ModerationConfig(
    Map<String, String> moderators, String jwtRoleClaim, Duration editWindow) {

  /** The role claim's value (or one of its values) that makes a moderator. */
  public static final String MODERATOR_ROLE = "moderator";

  static ModerationConfig read(Settings settings, Map<String, String> tokens) {
    Map<String, String> moderators = settings.pairs("parley.moderators");
    for (String name : moderators.keySet()) {
      if (tokens.containsKey(name)) {
        throw new IllegalArgumentException(
            "parley.moderators names " + name + ", which parley.tokens names too");
      }
    }
    return new ModerationConfig(
        moderators,
        settings.text("parley.auth.jwt.role-claim"),
        Duration.ofSeconds(settings.atLeast("parley.edit.window-seconds", 1)));
  }
}
