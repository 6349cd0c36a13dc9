package io.berth.hub.distribution;

import java.io.IOException;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error page for errors no application code answered, chiefly requests Tomcat refuses while parsing them
 * (an encoded {@code /} or {@code NUL} in the path, a path that is not UTF-8): under {@code /v2/} the Distribution
 * API's error document, elsewhere Tomcat's page, without a stack trace or server version.
 */
final class RegistryErrorReportValve extends ErrorReportValve {

    private final RegistryErrorWriter errors;

    RegistryErrorReportValve(RegistryErrorWriter errors) {
        this.errors = errors;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (!RegistryErrorWriter.isRegistryPath(request.getRequestURI())) {
            super.report(request, response, throwable);
            return;
        }
        if (response.getContentType() != null) {
            // The application answered (a HEAD, whose error body is never written, looks unanswered to Tomcat).
            return;
        }
        HttpStatus status = HttpStatus.resolve(response.getStatus());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        String reason = response.getMessage();
        String message = (status.is5xxServerError() ? "unknown error" : "invalid request")
                + (reason == null || reason.isBlank() || status.is5xxServerError() ? "" : ": " + reason);
        try {
            errors.write(response, status, errorFor(status), message);
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the response was already under way: nothing more can be said.
        }
    }

    private static RegistryError errorFor(HttpStatus status) {
        return switch (status) {
            case UNAUTHORIZED -> RegistryError.UNAUTHORIZED;
            case FORBIDDEN -> RegistryError.DENIED;
            case NOT_FOUND -> RegistryError.NOT_FOUND;
            case CONTENT_TOO_LARGE -> RegistryError.SIZE_INVALID;
            case TOO_MANY_REQUESTS -> RegistryError.TOOMANYREQUESTS;
            default -> status.is5xxServerError() ? RegistryError.UNKNOWN : RegistryError.UNSUPPORTED;
        };
    }
}
