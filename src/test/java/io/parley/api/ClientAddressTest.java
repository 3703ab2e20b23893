package io.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a request comes from behind proxies that append the peer they saw to a forwarding header. */
class ClientAddressTest {

  private final ClientAddress viaXForwardedFor =
      new ClientAddress(List.of("10.0.0.0/8", "192.0.2.7", "fd00::/8"), "X-Forwarded-For");
  private final ClientAddress viaForwarded = new ClientAddress(List.of("10.0.0.0/8"), "Forwarded");

  @Test
  void anUntrustedPeerIsTheClientWhateverItWrites() {
    assertEquals("203.0.113.9", viaXForwardedFor.of("203.0.113.9", List.of("198.51.100.1")));
    assertEquals(
        "203.0.113.9",
        viaXForwardedFor.of("::ffff:203.0.113.9", List.of()),
        "IPv4-mapped IPv6 is the IPv4 address");
  }

  @Test
  void theClientIsTheRightMostHopThatIsNotATrustedProxy() {
    // nginx appended the peer it saw (198.51.100.20) to what the client sent (a forged 1.2.3.4).
    assertEquals(
        "198.51.100.20", viaXForwardedFor.of("10.1.2.3", List.of("1.2.3.4, 198.51.100.20")));
    // Two trusted proxies in a row, one by CIDR and one by address, over two header lines.
    assertEquals(
        "198.51.100.20",
        viaXForwardedFor.of("10.1.2.3", List.of("6.6.6.6, 198.51.100.20", "192.0.2.7")));
    assertEquals(
        "2001:db8::1",
        viaXForwardedFor.of("fd12::1", List.of("2001:db8:0:0::1")),
        "canonical IPv6");
  }

  @Test
  void aHopThatNamesNoAddressLeavesTheProxyAsTheClient() {
    assertEquals("10.1.2.3", viaXForwardedFor.of("10.1.2.3", List.of("1.2.3.4, unknown")));
    assertEquals(
        "10.9.9.9",
        viaXForwardedFor.of("10.1.2.3", List.of("garbage, 10.9.9.9")),
        "every hop a proxy: the last one named");
    assertEquals(
        "10.1.2.3",
        viaXForwardedFor.of("10.1.2.3", List.of("1.2.3.0/24")),
        "a range is not an address");
    assertEquals("10.1.2.3", viaXForwardedFor.of("10.1.2.3", List.of("1.2.3.*")), "nor a wildcard");
    assertEquals("10.1.2.3", viaXForwardedFor.of("10.1.2.3", List.of()));
  }

  @Test
  void rfc7239ForwardedIsReadTheSameWay() {
    assertEquals(
        "198.51.100.20",
        viaForwarded.of(
            "10.1.2.3",
            List.of("for=1.2.3.4;proto=https, for=\"198.51.100.20:4711\";by=10.0.0.1")));
    assertEquals(
        "2001:db8:cafe::17",
        viaForwarded.of("10.1.2.3", List.of("for=\"[2001:db8:cafe::17]:4711\"")));
    assertEquals("10.1.2.3", viaForwarded.of("10.1.2.3", List.of("for=_hidden")));
    assertEquals("10.1.2.3", viaForwarded.of("10.1.2.3", List.of("for=unknown")));
  }

  @Test
  void aTrustedProxyThatIsNotAnAddressOrRangeStopsTheStart() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new ClientAddress(List.of("proxy.example.org"), "X-Forwarded-For"));
  }
}
