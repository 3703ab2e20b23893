package io.parley;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * An identity provider for tests: an RSA and an EC (P-256) key pair made at test time, its public
 * keys as a PEM file, and JWTs it signs (RS256 or ES256).
 */
public final class TestJwts {

  public static final String ISSUER = "https://idp.test/realms/parley";

  private final KeyPair rsa;
  private final KeyPair ec;

  public TestJwts() {
    try {
      KeyPairGenerator rsaKeys = KeyPairGenerator.getInstance("RSA");
      rsaKeys.initialize(2048);
      this.rsa = rsaKeys.generateKeyPair();
      KeyPairGenerator ecKeys = KeyPairGenerator.getInstance("EC");
      ecKeys.initialize(new ECGenParameterSpec("secp256r1"));
      this.ec = ecKeys.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes both public keys into one PEM file in {@code folder}; returns its path. */
  public Path writePem(Path folder) {
    Path file = folder.resolve("idp.pem");
    try {
      Files.writeString(file, pem(rsa.getPublic()) + pem(ec.getPublic()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** A JWT signed with the RSA key (RS256) for {@code subject} named {@code nick}. */
  public String rs256(String subject, String nick, String issuer, Instant expires) {
    return rs256(subject, nick, issuer, expires, List.of());
  }

  /** As above, granting {@code rooms} (the claim {@code parley_rooms}) unless empty. */
  public String rs256(
      String subject, String nick, String issuer, Instant expires, List<String> rooms) {
    return sign(
        new RSASSASigner(rsa.getPrivate()),
        JWSAlgorithm.RS256,
        subject,
        nick,
        issuer,
        expires,
        rooms,
        null);
  }

  /** As above, with the claim {@code parley_role} set to {@code role} (a string or a list). */
  public String rs256WithRole(
      String subject, String nick, String issuer, Instant expires, Object role) {
    return sign(
        new RSASSASigner(rsa.getPrivate()),
        JWSAlgorithm.RS256,
        subject,
        nick,
        issuer,
        expires,
        List.of(),
        role);
  }

  /** A JWT signed with the EC key (ES256). */
  public String es256(String subject, String nick, String issuer, Instant expires) {
    try {
      return sign(
          new ECDSASigner((ECPrivateKey) ec.getPrivate()),
          JWSAlgorithm.ES256,
          subject,
          nick,
          issuer,
          expires,
          List.of(),
          null);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("JavaUtilDate") // Nimbus's claims take java.util.Date
  private static String sign(
      JWSSigner signer,
      JWSAlgorithm algorithm,
      String subject,
      String nick,
      String issuer,
      Instant expires,
      List<String> rooms,
      Object role) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(subject)
            .issueTime(new Date())
            .expirationTime(Date.from(expires));
    if (nick != null) {
      claims.claim("preferred_username", nick);
    }
    if (!rooms.isEmpty()) {
      claims.claim("parley_rooms", rooms);
    }
    if (role != null) {
      claims.claim("parley_role", role);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
