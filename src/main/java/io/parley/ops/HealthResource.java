package io.parley.ops;

import io.parley.core.MessageLog;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Liveness and readiness for load balancers and orchestrators. */
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
@Dependent
public class HealthResource {

  public record Health(String status, Map<String, String> checks) {}

  private final MessageLog log;

  @Inject
  public HealthResource(MessageLog log) {
    this.log = log;
  }

  /** 200 while the application runs. */
  @GET
  @Path("live")
  public Health live() {
    return new Health("UP", Map.of());
  }

  /** 200 when the message store answers, 503 when it does not. */
  @GET
  @Path("ready")
  public Response ready() {
    boolean store = log.isAvailable();
    Health health = new Health(store ? "UP" : "DOWN", Map.of("store", store ? "UP" : "DOWN"));
    return Response.status(store ? 200 : 503).entity(health).build();
  }
}
