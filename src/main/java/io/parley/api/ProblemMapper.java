package io.parley.api;

import io.parley.chat.BannedException;
import io.parley.chat.FieldError;
import io.parley.chat.HistoryGoneException;
import io.parley.chat.IdempotencyConflictException;
import io.parley.chat.InvalidInputException;
import io.parley.chat.NickHeldException;
import io.parley.chat.ReservedNameException;
import io.parley.chat.RoomAccessException;
import io.parley.ops.ParleyMetrics;
import io.parley.store.StoreException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns every failure under {@code /api} into {@code application/problem+json},
 * and counts every refused request (4xx) by reason for the metrics.
 */
@Provider
@Dependent
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();
  private static final String PARLEY_TYPE = "urn:parley:problem:";
  static final int STORE_RETRY_AFTER_SECONDS = 5;

  private final ParleyMetrics metrics;

  @Inject
  public ProblemMapper(ParleyMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Response toResponse(Throwable failure) {
    Problem problem = problemFor(failure);
    if (problem.status() < 500) {
      metrics.rejected(reason(problem));
    }
    Response.ResponseBuilder response = respond(problem);
    headersFor(failure).forEach(response::header);
    return response.build();
  }

  private static Problem problemFor(Throwable failure) {
    if (failure instanceof InvalidInputException invalid) {
      return problem(
          400,
          PARLEY_TYPE + "invalid-input",
          "Invalid input",
          "The request has fields that break the rules; see errors.",
          invalid.errors());
    }
    if (failure instanceof HistoryGoneException gone) {
      int status =
          switch (gone.reason()) {
            case MALFORMED -> 400;
            case UNKNOWN -> 404;
            case EXPIRED -> 410;
          };
      return problem(
          status,
          PARLEY_TYPE + "history-" + gone.reason().label(),
          title(status),
          gone.getMessage(),
          List.of());
    }
    if (failure instanceof LimitExceededException limit) {
      int status = limit.limit().status();
      return problem(
          status,
          PARLEY_TYPE + limit.limit().label(),
          title(status),
          limit.getMessage(),
          List.of());
    }
    if (failure instanceof IdempotencyConflictException reused) {
      return problem(
          422,
          PARLEY_TYPE + "idempotency-key-reused",
          "Idempotency-Key reused",
          reused.getMessage(),
          List.of());
    }
    if (failure instanceof ReservedNameException reserved) {
      return problem(
          403, PARLEY_TYPE + "reserved-name", title(403), reserved.getMessage(), List.of());
    }
    if (failure instanceof RoomAccessException refused) {
      int status = refused.refusal().status();
      return problem(
          status,
          PARLEY_TYPE + refused.refusal().label(),
          title(status),
          refused.getMessage(),
          List.of());
    }
    if (failure instanceof NickHeldException held) {
      return problem(403, PARLEY_TYPE + "nick-held", title(403), held.getMessage(), List.of());
    }
    if (failure instanceof StoreException) {
      LOG.log(Level.WARNING, "The message store failed", failure);
      return problem(
          503,
          "about:blank",
          title(503),
          "The message store is not available; try again shortly.",
          List.of());
    }
    if (failure instanceof MalformedBodyException malformed) {
      return problem(
          400, PARLEY_TYPE + "malformed-body", "Malformed body", malformed.getMessage(), List.of());
    }
    if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      return fromHttpStatus(web);
    }
    LOG.log(Level.SEVERE, "Unexpected failure while serving a request", failure);
    return problem(
        500,
        "about:blank",
        title(500),
        "The server failed; the failure has been logged.",
        List.of());
  }

  /**
   * {@code Retry-After} for limits and the store; a JAX-RS exception's own Allow, Retry-After,
   * WWW-Authenticate.
   */
  private static Map<String, Object> headersFor(Throwable failure) {
    if (failure instanceof LimitExceededException limit) {
      return Map.of(HttpHeaders.RETRY_AFTER, limit.retryAfterSeconds());
    }
    if (failure instanceof StoreException) {
      return Map.of(HttpHeaders.RETRY_AFTER, STORE_RETRY_AFTER_SECONDS);
    }
    if (failure instanceof BannedException banned) {
      return Map.of(HttpHeaders.RETRY_AFTER, BannedException.secondsLeft(banned.until()));
    }
    if (failure instanceof RoomAccessException refused
        && refused.refusal() == RoomAccessException.Refusal.SIGN_IN_NEEDED) {
      return Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"parley\"");
    }
    Map<String, Object> headers = new HashMap<>();
    if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      for (String name :
          List.of(HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE)) {
        Object value = web.getResponse().getHeaders().getFirst(name);
        if (value != null) {
          headers.put(name, value);
        }
      }
    }
    return headers;
  }

  private static Problem fromHttpStatus(WebApplicationException web) {
    int status = web.getResponse().getStatus();
    String detail =
        switch (status) {
          case 404 -> "There is nothing at this path.";
          case 405 -> "This path does not answer that method" + allowed(web) + ".";
          case 406 -> "This path cannot answer in the media type the Accept header asks for.";
          case 415 -> "Send application/json or application/x-www-form-urlencoded.";
          default -> web.getMessage();
        };
    return problem(status, "about:blank", title(status), detail, List.of());
  }

  /** A bounded label: the Parley problem type, or the status's reason phrase. */
  private static String reason(Problem problem) {
    if (problem.type().startsWith(PARLEY_TYPE)) {
      return problem.type().substring(PARLEY_TYPE.length());
    }
    return problem.title().toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  private static String allowed(WebApplicationException web) {
    if (web instanceof NotAllowedException
        && web.getResponse().getAllowedMethods() != null
        && !web.getResponse().getAllowedMethods().isEmpty()) {
      return " (it allows "
          + String.join(", ", new TreeSet<>(web.getResponse().getAllowedMethods()))
          + ")";
    }
    return "";
  }

  static Problem problem(
      int status, String type, String title, String detail, List<FieldError> errors) {
    return new Problem(type, title, status, detail, errors.isEmpty() ? null : errors);
  }

  private static Response.ResponseBuilder respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(JSON.toJson(problem));
  }

  /**
   * Writes a problem from servlet code that runs outside JAX-RS (the container's error page, the
   * filters in front of Jersey).
   */
  static void write(HttpServletResponse response, int status, String detail) throws IOException {
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(JSON.toJson(problem(status, "about:blank", title(status), detail, List.of())));
  }

  static String title(int status) {
    Response.StatusType known = Response.Status.fromStatusCode(status);
    return known != null ? known.getReasonPhrase() : "HTTP " + status;
  }
}
