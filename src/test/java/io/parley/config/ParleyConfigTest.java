package io.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.TestConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParleyConfigTest {

  @Test
  void theShippedDefaultsRead() {
    ParleyConfig config = TestConfig.with(Map.of());
    assertEquals("embedded", config.store());
    assertEquals(1000, config.historySize());
    assertTrue(config.syncEveryCommit());
    assertEquals(List.of(), config.corsOrigins());
    assertEquals(Map.of(), config.tokens());
    assertEquals("X-Forwarded-For", config.trustedProxiesHeader());
  }

  @Test
  void listsAreCommaSeparatedAndStripped() {
    ParleyConfig config =
        TestConfig.with(Map.of("parley.trusted-proxies", " 10.0.0.0/8, 127.0.0.1 ,,fd00::/8 "));
    assertEquals(List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"), config.trustedProxies());
  }

  @Test
  void tokensAreNamedSecrets() {
    ParleyConfig config = TestConfig.with(Map.of("parley.tokens", "ci-bot:s3cret, deploy : other"));
    assertEquals(Map.of("ci-bot", "s3cret", "deploy", "other"), config.tokens());
  }

  @Test
  void aMalformedTokenIsNamedByItsPlaceNeverByItsSecret() {
    IllegalArgumentException wrong =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestConfig.with(Map.of("parley.tokens", "ci-bot:a, s3cret-without-name")));
    assertTrue(wrong.getMessage().contains("entry 2"), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("s3cret"), wrong.getMessage());
    IllegalArgumentException twice =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestConfig.with(Map.of("parley.tokens", "ci-bot:a,ci-bot:b")));
    assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
  }

  @Test
  void aWrongValueNamesItsKey() {
    for (Map.Entry<String, String> wrong :
        Map.of(
                "parley.store", "mysql",
                "parley.store.sync", "never",
                "parley.history.size", "0",
                "parley.store.max-bytes", "-1",
                "parley.trusted-proxies.header", "X-Real-IP")
            .entrySet()) {
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> TestConfig.with(Map.of(wrong.getKey(), wrong.getValue())),
              wrong.toString());
      assertTrue(
          refused.getMessage().startsWith(wrong.getKey() + " must be"), refused.getMessage());
    }
  }
}
