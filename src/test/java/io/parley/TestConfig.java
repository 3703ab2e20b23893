package io.parley;

import io.parley.config.ParleyConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/** Parley's settings for a unit test: the shipped defaults, overridden by the test's own values. */
public final class TestConfig {

  private TestConfig() {}

  public static ParleyConfig with(Map<String, String> overrides) {
    return ParleyConfig.from(
        new SmallRyeConfigBuilder()
            .addDefaultSources()
            .withSources(new PropertiesConfigSource(overrides, "test", 1000))
            .build());
  }
}
