package io.parley;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application: every resource and provider is found by the container's scan. */
@ApplicationPath("/api")
public class ParleyApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // Error responses carry problem+json; never let the container replace them with its page.
        "jersey.config.server.response.setStatusOverSendError", true,
        "jersey.config.server.wadl.disableWadl", true);
  }
}
