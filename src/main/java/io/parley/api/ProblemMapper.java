package io.parley.api;

import io.parley.chat.FieldError;
import io.parley.chat.HistoryGoneException;
import io.parley.chat.InvalidInputException;
import io.parley.chat.ReservedNameException;
import io.parley.ops.ParleyMetrics;
import io.parley.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that turns every failure under {@code /api} into {@code application/problem+json},
 * and counts every refused request (4xx) by reason for the metrics.
 */
@Provider
@ApplicationScoped
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

  /** For the CDI proxy only. */
  protected ProblemMapper() {
    this(null);
  }

  @Override
  public Response toResponse(Throwable failure) {
    Response.ResponseBuilder response = answer(failure);
    Response built = response.build();
    if (built.getStatus() < 500) {
      metrics.rejected(reason(built));
    }
    return built;
  }

  private Response.ResponseBuilder answer(Throwable failure) {
    if (failure instanceof InvalidInputException invalid) {
      return problem(400, PARLEY_TYPE + "invalid-input", "Invalid input",
          "The request has fields that break the rules; see errors.", invalid.errors());
    }
    if (failure instanceof HistoryGoneException gone) {
      int status = switch (gone.reason()) {
        case MALFORMED -> 400;
        case UNKNOWN -> 404;
        case EXPIRED -> 410;
      };
      return problem(status, PARLEY_TYPE + "history-" + gone.reason().label(), title(status), gone.getMessage(), List.of());
    }
    if (failure instanceof LimitExceededException limit) {
      int status = limit.limit().status();
      return problem(status, PARLEY_TYPE + limit.limit().label(), title(status), limit.getMessage(), List.of())
          .header(HttpHeaders.RETRY_AFTER, limit.retryAfterSeconds());
    }
    if (failure instanceof ReservedNameException reserved) {
      return problem(403, PARLEY_TYPE + "reserved-name", title(403), reserved.getMessage(), List.of());
    }
    if (failure instanceof StoreException) {
      LOG.log(Level.WARNING, "The message store failed", failure);
      return problem(503, "about:blank", title(503), "The message store is not available; try again shortly.", List.of())
          .header(HttpHeaders.RETRY_AFTER, STORE_RETRY_AFTER_SECONDS);
    }
    if (failure instanceof MalformedBodyException malformed) {
      return problem(400, PARLEY_TYPE + "malformed-body", "Malformed body", malformed.getMessage(), List.of());
    }
    if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      return fromHttpStatus(web);
    }
    LOG.log(Level.SEVERE, "Unexpected failure while serving a request", failure);
    return problem(500, "about:blank", title(500), "The server failed; the failure has been logged.", List.of());
  }

  private static Response.ResponseBuilder fromHttpStatus(WebApplicationException web) {
    Response original = web.getResponse();
    int status = original.getStatus();
    String detail = switch (status) {
      case 404 -> "There is nothing at this path.";
      case 405 -> "This path does not answer that method" + allowed(web) + ".";
      case 406 -> "This path cannot answer in the media type the Accept header asks for.";
      case 415 -> "Send application/json or application/x-www-form-urlencoded.";
      default -> web.getMessage();
    };
    Response.ResponseBuilder response = problem(status, "about:blank", title(status), detail, List.of());
    copyHeader(original, response, HttpHeaders.ALLOW);
    copyHeader(original, response, HttpHeaders.RETRY_AFTER);
    copyHeader(original, response, HttpHeaders.WWW_AUTHENTICATE);
    return response;
  }

  /** A bounded label: the Parley problem type, or the status's reason phrase. */
  private static String reason(Response response) {
    String body = (String) response.getEntity();
    Problem problem = JSON.fromJson(body, Problem.class);
    if (problem.type().startsWith(PARLEY_TYPE)) {
      return problem.type().substring(PARLEY_TYPE.length());
    }
    return title(response.getStatus()).toLowerCase(Locale.ROOT).replace(' ', '-');
  }

  private static String allowed(WebApplicationException web) {
    if (web instanceof NotAllowedException && web.getResponse().getAllowedMethods() != null
        && !web.getResponse().getAllowedMethods().isEmpty()) {
      return " (it allows " + String.join(", ", new TreeSet<>(web.getResponse().getAllowedMethods())) + ")";
    }
    return "";
  }

  private static void copyHeader(Response from, Response.ResponseBuilder to, String name) {
    Object value = from.getHeaders().getFirst(name);
    if (value != null) {
      to.header(name, value);
    }
  }

  static Response.ResponseBuilder problem(int status, String type, String title, String detail, List<FieldError> errors) {
    Problem problem = new Problem(type, title, status, detail, errors.isEmpty() ? null : errors);
    return Response.status(status).type(Problem.MEDIA_TYPE).entity(JSON.toJson(problem));
  }

  static String title(int status) {
    Response.StatusType known = Response.Status.fromStatusCode(status);
    return known != null ? known.getReasonPhrase() : "HTTP " + status;
  }
}
