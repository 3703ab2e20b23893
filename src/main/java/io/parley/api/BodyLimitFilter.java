package io.parley.api;

import io.parley.config.ParleyConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses a request body over {@code parley.limit.body-bytes} with 413, whether it announces its
 * length or not. Accepted bodies are small, so they are read here once and handed on.
 */
@Provider
@PreMatching
@Dependent
public class BodyLimitFilter implements ContainerRequestFilter {

  private final int limit;

  @Inject
  public BodyLimitFilter(ParleyConfig config) {
    this.limit = config.bodyLimitBytes();
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (request.getProperty(BodyReadFilter.BODY) instanceof byte[] read) {
      if (read.length > limit) {
        throw tooLarge();
      }
      request.setEntityStream(
          new ByteArrayInputStream(read)); // read without a thread before JAX-RS
      return;
    }
    if (!request.hasEntity()) {
      return;
    }
    if (request.getLength() > limit) {
      throw tooLarge();
    }
    InputStream body = request.getEntityStream();
    byte[] bytes = body.readNBytes(limit + 1);
    if (bytes.length > limit) {
      throw tooLarge();
    }
    request.setEntityStream(new ByteArrayInputStream(bytes));
  }

  private WebApplicationException tooLarge() {
    return new WebApplicationException(
        "The body is larger than the limit of " + limit + " bytes.", 413);
  }
}
