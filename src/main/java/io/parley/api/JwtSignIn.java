package io.parley.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.parley.config.ModerationConfig;
import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sign-in with an identity provider, when {@code parley.auth.jwt.public-key} and {@code
 * parley.auth.jwt.issuer} are set: a JWT signed with one of the provider's keys (RS256 or ES256,
 * checked by Nimbus JOSE+JWT), naming that issuer, not expired, with the nick in {@code
 * parley.auth.jwt.nick-claim}, makes its request that user, a member of the private rooms its
 * {@code parley.auth.jwt.rooms-claim} grants. The keys are read once, from a PEM file (one or more
 * public keys) or a JWKS file. Thread-safe.
 */
@ApplicationScoped
public class JwtSignIn {

  /**
   * A user the provider vouches for: who (issuer and subject), their nick, until when, and the
   * rooms it grants them (names, or a prefix and {@code *}).
   */
  public record JwtUser(
      String subject, String nick, Instant expiresAt, List<String> rooms, boolean moderator) {}

  /** How far the provider's clock and this one may differ when checking expiry. */
  static final int CLOCK_SKEW_SECONDS = 5;

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
  private static final Pattern COMPACT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private final ConfigurableJWTProcessor<SecurityContext> processor;
  private final String nickClaim;
  private final String roomsClaim;
  private final String roleClaim;

  @Inject
  public JwtSignIn(ParleyConfig config) {
    this(
        config.signIn().jwtPublicKey(),
        config.signIn().jwtIssuer(),
        config.signIn().jwtNickClaim(),
        config.signIn().jwtRoomsClaim(),
        config.moderation().jwtRoleClaim());
  }

  JwtSignIn(Optional<Path> keys, Optional<String> issuer, String nickClaim, String roomsClaim) {
    this(keys, issuer, nickClaim, roomsClaim, "parley_role");
  }

  JwtSignIn(
      Optional<Path> keys,
      Optional<String> issuer,
      String nickClaim,
      String roomsClaim,
      String roleClaim) {
    this.nickClaim = nickClaim;
    this.roomsClaim = roomsClaim;
    this.roleClaim = roleClaim;
    this.processor = keys.isPresent() ? processor(read(keys.get()), issuer.get(), nickClaim) : null;
  }

  /** For the CDI proxy only. */
  protected JwtSignIn() {
    this.processor = null;
    this.nickClaim = null;
    this.roomsClaim = null;
    this.roleClaim = null;
  }

  public boolean enabled() {
    return processor != null;
  }

  /** Whether a token has the shape of a JWT (three base64url parts); it may still be wrong. */
  public static boolean looksLikeJwt(String token) {
    return COMPACT.matcher(token).matches();
  }

  /** The token's user; 401 for a token that is not valid now (or when sign-in is off). */
  public JwtUser verify(String token) {
    if (processor == null) {
      throw Callers.unauthorized("Sign-in with an identity provider is not set up here.");
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      String nick = claims.getStringClaim(nickClaim);
      if (nick == null || nick.isBlank() || claims.getSubject() == null) {
        throw Callers.unauthorized("The token names no subject or no " + nickClaim + ".");
      }
      List<String> rooms = claims.getStringListClaim(roomsClaim);
      return new JwtUser(
          claims.getIssuer() + "\n" + claims.getSubject(),
          nick,
          claims.getExpirationTime().toInstant(),
          rooms == null ? List.of() : List.copyOf(rooms),
          isModerator(claims.getClaim(roleClaim)));
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw Callers.unauthorized("The token is not valid: " + reason(e));
    }
  }

  /** Whether the role claim says (or lists) {@value ModerationConfig#MODERATOR_ROLE}. */
  private static boolean isModerator(Object role) {
    if (role instanceof String one) {
      return one.equals(ModerationConfig.MODERATOR_ROLE);
    }
    return role instanceof List<?> roles && roles.contains(ModerationConfig.MODERATOR_ROLE);
  }

  /** Why a token was refused, in words that tell nothing about the keys. */
  private static String reason(Exception e) {
    String message = e.getMessage();
    if (message == null) {
      return "it could not be read.";
    }
    if (message.contains("xpired")) {
      return "it has expired.";
    }
    if (message.contains("iss")) {
      return "it was not issued by this server's identity provider.";
    }
    return "its signature, form or claims are not right.";
  }

  private static ConfigurableJWTProcessor<SecurityContext> processor(
      JWKSet keys, String issuer, String nickClaim) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(keys)));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "sub", nickClaim));
    claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
    processor.setJWTClaimsSetVerifier(claims);
    return processor;
  }

  /** The provider's public keys, from a JWKS file or a PEM file of public keys. */
  static JWKSet read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (text.strip().startsWith("{")) {
        return JWKSet.parse(text);
      }
      List<JWK> keys = new ArrayList<>();
      Matcher pem = PEM.matcher(text);
      while (pem.find()) {
        keys.add(jwk(Base64.getMimeDecoder().decode(pem.group(1))));
      }
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no PUBLIC KEY block");
      }
      return new JWKSet(keys);
    } catch (IOException | ParseException | GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "parley.auth.jwt.public-key: cannot read public keys from " + file + " (" + e + ")", e);
    }
  }

  private static JWK jwk(byte[] der) throws GeneralSecurityException {
    X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      key = KeyFactory.getInstance("EC").generatePublic(spec);
    }
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    ECPublicKey ec = (ECPublicKey) key;
    return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
  }
}
