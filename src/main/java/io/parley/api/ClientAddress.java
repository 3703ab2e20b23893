package io.parley.api;

import io.parley.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a request comes from, for the per-client limits: the remote address, or the first hop of
 * {@code X-Forwarded-For} when the request comes from one of {@code parley.trusted-proxies}.
 * Anyone else's {@code X-Forwarded-For} is ignored, so a client cannot pick its own identity.
 */
@ApplicationScoped
public class ClientAddress {

  /** An IPv4 or IPv6 literal, roughly: enough to refuse anything else as an identity. */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final Set<String> trustedProxies;

  @Inject
  public ClientAddress(ParleyConfig config) {
    this.trustedProxies = Set.copyOf(config.trustedProxies());
  }

  /** For the CDI proxy only. */
  protected ClientAddress() {
    this.trustedProxies = Set.of();
  }

  public String of(HttpServletRequest request) {
    String remote = request.getRemoteAddr();
    if (!trustedProxies.contains(remote)) {
      return remote;
    }
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return remote;
    }
    int comma = forwarded.indexOf(',');
    String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
    return IP_LITERAL.matcher(first).matches() ? first : remote;
  }
}
