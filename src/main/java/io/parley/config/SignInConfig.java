package io.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of who people are: how long a session holds its nick ({@code nickHold}), whether
 * posts and streams need a session ({@code authRequired}), sign-in with an identity provider's JWTs
 * (its keys' file and issuer, both or neither, and the claims that hold a user's nick and rooms),
 * the rooms integration tokens are limited to ({@code tokenRooms}, by integration name; none: every
 * room), and session starts and invite tries per client ({@code signInsPerSecond} after {@code
 * signInsBurst}).
 */
public record SignInConfig(
    Duration nickHold,
    boolean authRequired,
    Optional<Path> jwtPublicKey,
    Optional<String> jwtIssuer,
    String jwtNickClaim,
    String jwtRoomsClaim,
    Map<String, List<String>> tokenRooms,
    int signInsPerSecond,
    int signInsBurst) {

  /** Reads and checks the settings; {@code tokens} are the integrations' tokens by name. */
  static SignInConfig read(Settings settings, Map<String, String> tokens) {
    Optional<Path> keys = settings.optionalText("parley.auth.jwt.public-key").map(Path::of);
    Optional<String> issuer = settings.optionalText("parley.auth.jwt.issuer");
    if (keys.isPresent() != issuer.isPresent()) {
      throw new IllegalArgumentException(
          "parley.auth.jwt.public-key and parley.auth.jwt.issuer are set together, or neither");
    }
    return new SignInConfig(
        Duration.ofDays(settings.atLeast("parley.nick.hold-days", 1)),
        settings.flag("parley.auth.required"),
        keys,
        issuer,
        settings.text("parley.auth.jwt.nick-claim"),
        settings.text("parley.auth.jwt.rooms-claim"),
        tokenRooms(settings.pairs("parley.tokens.rooms"), tokens),
        settings.atLeast("parley.limit.sign-ins-per-second", 1),
        settings.atLeast("parley.limit.sign-ins-burst", 1));
  }

  private static Map<String, List<String>> tokenRooms(
      Map<String, String> patternsByName, Map<String, String> tokens) {
    Map<String, List<String>> rooms = new LinkedHashMap<>();
    patternsByName.forEach(
        (name, patterns) -> {
          if (!tokens.containsKey(name)) {
            throw new IllegalArgumentException(
                "parley.tokens.rooms names " + name + ", which parley.tokens has no token for");
          }
          rooms.put(
              name,
              Arrays.stream(patterns.split("\\|", -1))
                  .map(String::strip)
                  .filter(pattern -> !pattern.isEmpty())
                  .toList());
        });
    return Map.copyOf(rooms);
  }
}
