package io.parley.api;

import io.parley.chat.FieldError;
import io.parley.chat.HistoryGoneException;
import io.parley.chat.InvalidInputException;
import io.parley.chat.ReservedNameException;
import io.parley.store.StoreException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place that turns every failure under {@code /api} into {@code application/problem+json}. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();
  static final int STORE_RETRY_AFTER_SECONDS = 5;

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof InvalidInputException invalid) {
      return problem(400, "urn:parley:problem:invalid-input", "Invalid input",
          "The request has fields that break the rules; see errors.", invalid.errors()).build();
    }
    if (failure instanceof HistoryGoneException gone) {
      int status = switch (gone.reason()) {
        case MALFORMED -> 400;
        case UNKNOWN -> 404;
        case EXPIRED -> 410;
      };
      return problem(status, "urn:parley:problem:history-" + gone.reason().label(), title(status),
          gone.getMessage(), List.of()).build();
    }
    if (failure instanceof StoreException) {
      LOG.log(Level.WARNING, "The message store failed", failure);
      return problem(503, "about:blank", title(503), "The message store is not available; try again shortly.",
          List.of()).header("Retry-After", STORE_RETRY_AFTER_SECONDS).build();
    }
    if (failure instanceof LimitExceededException limit) {
      return problem(limit.limit().status(), "urn:parley:problem:" + limit.limit().label(),
          title(limit.limit().status()), limit.getMessage(), List.of())
          .header(HttpHeaders.RETRY_AFTER, limit.retryAfterSeconds())
          .build();
    }
    if (failure instanceof ReservedNameException reserved) {
      return problem(403, "urn:parley:problem:reserved-name", title(403), reserved.getMessage(), List.of()).build();
    }
    if (failure instanceof MalformedBodyException malformed) {
      return problem(400, "urn:parley:problem:malformed-body", "Malformed body", malformed.getMessage(), List.of())
          .build();
    }
    if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
      return fromHttpStatus(web);
    }
    LOG.log(Level.SEVERE, "Unexpected failure while serving a request", failure);
    return problem(500, "about:blank", title(500), "The server failed; the failure has been logged.", List.of())
        .build();
  }

  private static Response fromHttpStatus(WebApplicationException web) {
    Response original = web.getResponse();
    int status = original.getStatus();
    String detail = switch (status) {
      case 404 -> "There is nothing at this path.";
      case 405 -> "This path does not answer that method" + allowed(web) + ".";
      case 406 -> "This path cannot answer in the media type the Accept header asks for.";
      case 413 -> web.getMessage();
      case 415 -> "Send application/json or application/x-www-form-urlencoded.";
      default -> web.getMessage();
    };
    Response.ResponseBuilder response = problem(status, "about:blank", title(status), detail, List.of());
    copyHeader(original, response, HttpHeaders.ALLOW);
    copyHeader(original, response, HttpHeaders.RETRY_AFTER);
    copyHeader(original, response, HttpHeaders.WWW_AUTHENTICATE);
    return response.build();
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
