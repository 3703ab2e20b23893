package io.parley.api;

import io.parley.chat.Poster;
import io.parley.config.ParleyConfig;
import io.parley.core.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAuthorizedException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Tells who posts from the {@code Authorization} header: an integration showing its token ({@code
 * Bearer <secret>}), a moderator showing theirs ({@code parley.moderators}), or a person without
 * one (when {@code parley.post.anonymous} allows it). Secrets are kept only as SHA-256 digests and
 * compared in constant time against every token, so neither the time taken nor the logs tell
 * anything about them.
 */
@ApplicationScoped
public class Integrations {

  private static final String CHALLENGE = "Bearer realm=\"parley\"";

  @SuppressWarnings("ArrayRecordComponent") // compared only with MessageDigest.isEqual
  private record Token(String name, byte[] digest, List<String> rooms, boolean moderator) {}

  private final List<Token> tokens;
  private final boolean anonymousPosts;

  @Inject
  public Integrations(ParleyConfig config) {
    this(
        config.tokens(),
        config.signIn().tokenRooms(),
        config.moderation().moderators(),
        config.anonymousPosts());
  }

  Integrations(Map<String, String> secretsByName, boolean anonymousPosts) {
    this(secretsByName, Map.of(), Map.of(), anonymousPosts);
  }

  Integrations(
      Map<String, String> secretsByName,
      Map<String, List<String>> roomsByName,
      Map<String, String> moderatorsByName,
      boolean anonymousPosts) {
    List<Token> all = new ArrayList<>();
    secretsByName.forEach(
        (name, secret) ->
            all.add(
                new Token(
                    name,
                    Secrets.sha256(secret),
                    roomsByName.getOrDefault(name, List.of()),
                    false)));
    moderatorsByName.forEach(
        (name, secret) -> all.add(new Token(name, Secrets.sha256(secret), List.of(), true)));
    this.tokens = List.copyOf(all);
    this.anonymousPosts = anonymousPosts;
  }

  /** For the CDI proxy only. */
  protected Integrations() {
    this(Map.of(), true);
  }

  /** The poster of a request with this {@code Authorization} header (null when there is none). */
  public Poster poster(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      if (!anonymousPosts) {
        throw unauthorized(
            "Posting needs an integration token: send Authorization: Bearer <token>.");
      }
      return Poster.PERSON;
    }
    String[] parts = authorization.strip().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      throw unauthorized("The Authorization header must be Bearer <token>.");
    }
    Token match =
        match(parts[1], token -> true).orElseThrow(() -> unauthorized("The token is not valid."));
    return match.moderator()
        ? Poster.moderator(match.name())
        : Poster.integration(match.name(), match.rooms());
  }

  /**
   * The name of the moderator whose secret this is (compared as tokens are), or empty: how a
   * moderator signs in to the page ({@code POST /api/sessions} with their secret).
   */
  public Optional<String> moderatorOf(String secret) {
    return match(secret, Token::moderator).map(Token::name);
  }

  /**
   * The first of the tokens {@code which} takes whose secret this is. Every token's digest is
   * compared, in constant time, whichever matches.
   */
  private Optional<Token> match(String secret, Predicate<Token> which) {
    byte[] shown = Secrets.sha256(secret);
    Token match = null;
    for (Token token : tokens) {
      boolean equal = MessageDigest.isEqual(token.digest(), shown);
      if (equal && which.test(token) && match == null) {
        match = token;
      }
    }
    return Optional.ofNullable(match);
  }

  private static NotAuthorizedException unauthorized(String detail) {
    return new NotAuthorizedException(detail, CHALLENGE);
  }
}
