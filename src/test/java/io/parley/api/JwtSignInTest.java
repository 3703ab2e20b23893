package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import io.parley.TestJwts;
import jakarta.ws.rs.NotAuthorizedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWTs of a provider made at test time, checked against its PEM or JWKS file. */
class JwtSignInTest {

  @TempDir Path folder;

  private final TestJwts idp = new TestJwts();
  private final Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS);

  private JwtSignIn signIn(Path keys) {
    return new JwtSignIn(
        Optional.of(keys), Optional.of(TestJwts.ISSUER), "preferred_username", "parley_rooms");
  }

  @Test
  void aTokenOfTheProviderNamesItsUserWithEitherAlgorithm() {
    JwtSignIn signIn = signIn(idp.writePem(folder));
    assertTrue(signIn.enabled());
    JwtSignIn.JwtUser grace = signIn.verify(idp.rs256("u-1", "grace", TestJwts.ISSUER, inAnHour));
    assertEquals("grace", grace.nick());
    assertEquals(TestJwts.ISSUER + "\nu-1", grace.subject());
    assertEquals(inAnHour.truncatedTo(ChronoUnit.SECONDS), grace.expiresAt());
    assertEquals(
        "henry", signIn.verify(idp.es256("u-2", "henry", TestJwts.ISSUER, inAnHour)).nick());
    assertEquals(java.util.List.of(), grace.rooms());
    assertEquals(
        java.util.List.of("team-x", "ops-*"),
        signIn
            .verify(
                idp.rs256(
                    "u-3", "ida", TestJwts.ISSUER, inAnHour, java.util.List.of("team-x", "ops-*")))
            .rooms());
  }

  @Test
  void theRoleClaimMakesAModerator() {
    JwtSignIn signIn = signIn(idp.writePem(folder));
    assertTrue(
        signIn
            .verify(idp.rs256WithRole("u-4", "olga", TestJwts.ISSUER, inAnHour, "moderator"))
            .moderator());
    assertTrue(
        signIn
            .verify(
                idp.rs256WithRole(
                    "u-5",
                    "oleg",
                    TestJwts.ISSUER,
                    inAnHour,
                    java.util.List.of("staff", "moderator")))
            .moderator(),
        "one of its values");
    assertFalse(
        signIn
            .verify(idp.rs256WithRole("u-6", "ivan", TestJwts.ISSUER, inAnHour, "member"))
            .moderator());
    assertFalse(signIn.verify(idp.rs256("u-7", "ida", TestJwts.ISSUER, inAnHour)).moderator());
  }

  @Test
  void aJwksFileServesAsWellAsAPem() throws Exception {
    Path pem = idp.writePem(folder);
    Path jwks = folder.resolve("idp.jwks");
    Files.writeString(
        jwks, JwtSignIn.read(pem).toString(true), StandardCharsets.UTF_8); // public keys only
    assertEquals(2, JWKSet.load(jwks.toFile()).getKeys().size());
    assertEquals(
        "grace", signIn(jwks).verify(idp.rs256("u-1", "grace", TestJwts.ISSUER, inAnHour)).nick());
  }

  @Test
  void everyOtherTokenIs401() {
    JwtSignIn signIn = signIn(idp.writePem(folder));
    TestJwts stranger = new TestJwts();
    String good = idp.rs256("u-1", "grace", TestJwts.ISSUER, inAnHour);
    String tampered =
        good.substring(0, good.lastIndexOf('.') + 1)
            + "AAAA"
            + good.substring(good.lastIndexOf('.') + 5);
    for (String token :
        new String[] {
          idp.rs256("u-1", "grace", "https://elsewhere.test", inAnHour),
          idp.rs256("u-1", "grace", TestJwts.ISSUER, Instant.now().minusSeconds(60)),
          idp.rs256("u-1", null, TestJwts.ISSUER, inAnHour),
          stranger.rs256("u-1", "grace", TestJwts.ISSUER, inAnHour),
          stranger.es256("u-1", "grace", TestJwts.ISSUER, inAnHour),
          tampered,
          "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEifQ.",
          "a.b.c"
        }) {
      assertThrows(NotAuthorizedException.class, () -> signIn.verify(token), token);
    }
  }

  @Test
  void withoutKeysSignInIsOff() {
    JwtSignIn off =
        new JwtSignIn(Optional.empty(), Optional.empty(), "preferred_username", "parley_rooms");
    assertFalse(off.enabled());
    assertThrows(
        NotAuthorizedException.class,
        () -> off.verify(idp.rs256("u-1", "grace", TestJwts.ISSUER, inAnHour)));
    assertTrue(JwtSignIn.looksLikeJwt("eyJh.eyJz.c2ln"));
    assertFalse(JwtSignIn.looksLikeJwt("ps_abc"));
    assertFalse(JwtSignIn.looksLikeJwt("change-me"));
  }
}
