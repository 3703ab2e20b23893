package io.parley.api;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who a request comes from, for the per-client limits and keys. The remote address, unless it is
 * one of {@code parley.trusted-proxies} (addresses and CIDR ranges): then the header those proxies
 * write ({@code X-Forwarded-For}, or RFC 7239 {@code Forwarded}, as {@code
 * parley.trusted-proxies.header} says) is read from the right, each hop being the peer the proxy to
 * its right saw, and the client is the first hop that is not itself a trusted proxy. What a client
 * wrote to the left of that is never read, so nobody can pick their own identity.
 */
@ApplicationScoped
public class ClientAddress {

  private final List<IPAddress> trustedProxies;
  private final boolean forwardedHeader;

  @Inject
  public ClientAddress(ParleyConfig config) {
    this(config.trustedProxies(), config.trustedProxiesHeader());
  }

  ClientAddress(List<String> trustedProxies, String header) {
    List<IPAddress> ranges = new ArrayList<>();
    for (String proxy : trustedProxies) {
      IPAddress range =
          parse(proxy, true)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "parley.trusted-proxies: not an address or CIDR range: " + proxy));
      ranges.add(range.toPrefixBlock());
    }
    this.trustedProxies = List.copyOf(ranges);
    this.forwardedHeader = header.equalsIgnoreCase("Forwarded");
  }

  /** For the CDI proxy only. */
  protected ClientAddress() {
    this(List.of(), "X-Forwarded-For");
  }

  /** The client's address, in canonical form. */
  public String of(HttpServletRequest request) {
    return of(
        request.getRemoteAddr(),
        Collections.list(request.getHeaders(forwardedHeader ? "Forwarded" : "X-Forwarded-For")));
  }

  /**
   * The client's address given the peer's and the values of the forwarding header the trusted
   * proxies write.
   */
  String of(String remote, List<String> forwarding) {
    Optional<IPAddress> peer = parse(remote, false);
    if (peer.isEmpty() || !trusted(peer.get())) {
      return peer.map(IPAddress::toCanonicalString).orElse(remote);
    }
    List<String> hops = forwardedHeader ? forwardedFor(forwarding) : commaSeparated(forwarding);
    IPAddress client = peer.get();
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<IPAddress> hop = parse(hops.get(i), false);
      if (hop.isEmpty()) {
        break; // a hop the proxy could not name ("unknown", obfuscated): the proxy is the client
      }
      client = hop.get();
      if (!trusted(client)) {
        break;
      }
    }
    return client.toCanonicalString();
  }

  private boolean trusted(IPAddress address) {
    for (IPAddress range : trustedProxies) {
      if (range.getIPVersion() == address.getIPVersion() && range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One address literal (an IPv4-mapped IPv6 one as IPv4), or with {@code range} also a CIDR range;
   * never a name to look up, a wildcard or a prefix where one address is meant.
   */
  static Optional<IPAddress> parse(String text, boolean range) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    IPAddress address = new IPAddressString(text.strip()).getAddress();
    if (address == null || (!range && (address.isPrefixed() || address.isMultiple()))) {
      return Optional.empty();
    }
    if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
      return Optional.of(address.toIPv6().getEmbeddedIPv4Address());
    }
    return Optional.of(address);
  }

  private static List<String> commaSeparated(List<String> headers) {
    List<String> hops = new ArrayList<>();
    for (String header : headers) {
      for (String hop : header.split(",", -1)) {
        hops.add(hop.strip());
      }
    }
    return hops;
  }

  /**
   * The {@code for=} of each element of RFC 7239 {@code Forwarded} headers, without quotes,
   * brackets or port.
   */
  private static List<String> forwardedFor(List<String> headers) {
    List<String> hops = new ArrayList<>();
    for (String element : commaSeparated(headers)) {
      String node = "";
      for (String pair : element.split(";", -1)) {
        int equals = pair.indexOf('=');
        if (equals > 0
            && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
          node = pair.substring(equals + 1).strip();
        }
      }
      hops.add(nodeAddress(node));
    }
    return hops;
  }

  private static String nodeAddress(String node) {
    String value =
        node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")
            ? node.substring(1, node.length() - 1)
            : node;
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end > 0 ? value.substring(1, end) : "";
    }
    int colon = value.indexOf(':');
    return colon >= 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
  }
}
