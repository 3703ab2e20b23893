package io.parley.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * Reads Parley's settings out of MicroProfile Config with the checks they need; a wrong value
 * throws {@link IllegalArgumentException} naming its key (but never a secret's value).
 */
final class Settings {

  private final Config config;

  Settings(Config config) {
    this.config = config;
  }

  String text(String key) {
    return config.getValue(key, String.class);
  }

  /** The value, or empty when the key is unset or blank. */
  Optional<String> optionalText(String key) {
    return config.getOptionalValue(key, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  boolean flag(String key) {
    return config.getValue(key, Boolean.class);
  }

  long longAtLeast(String key, long min) {
    long value = config.getValue(key, Long.class);
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
    }
    return value;
  }

  int atLeast(String key, int min) {
    int value = config.getValue(key, Integer.class);
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
    }
    return value;
  }

  /** A comma-separated list, its items stripped; empty when the key is unset or blank. */
  List<String> list(String key) {
    return config
        .getOptionalValues(key, String.class)
        .map(items -> items.stream().map(String::strip).filter(item -> !item.isEmpty()).toList())
        .orElse(List.of());
  }

  String oneOf(String key, String... allowed) {
    String value = text(key);
    for (String candidate : allowed) {
      if (candidate.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(
        key + " must be one of " + String.join(", ", allowed) + ", not " + value);
  }

  /** {@code name:secret} pairs, by name; a malformed entry is named by its position only. */
  Map<String, String> pairs(String key) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : list(key)) {
      int colon = pair.indexOf(':');
      String name = colon < 0 ? "" : pair.substring(0, colon).strip();
      String secret = colon < 0 ? "" : pair.substring(colon + 1).strip();
      if (name.isEmpty() || secret.isEmpty()) {
        // The pair itself may hold a secret: name only its position.
        throw new IllegalArgumentException(
            key + ": entry " + (pairs.size() + 1) + " is not of the form name:secret");
      }
      if (pairs.putIfAbsent(name, secret) != null) {
        throw new IllegalArgumentException(key + ": the name " + name + " is given twice");
      }
    }
    return Map.copyOf(pairs);
  }
}
