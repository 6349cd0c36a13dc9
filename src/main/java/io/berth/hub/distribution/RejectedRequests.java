package io.berth.hub.distribution;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;

/**
 * Requests the security firewall refuses before any controller sees them (an encoded {@code .} or {@code ..}, a
 * {@code //}, a {@code ;}, an encoded line break): under {@code /v2/} a 400 in the Distribution API's error format,
 * elsewhere the 400 Spring gives.
 */
@Component
class RejectedRequests implements RequestRejectedHandler {

    private final RequestRejectedHandler elsewhere = new HttpStatusRequestRejectedHandler();
    private final RegistryErrorWriter errors;

    RejectedRequests(RegistryErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException, ServletException {
        if (!RegistryErrorWriter.isRegistryPath(request.getRequestURI())) {
            elsewhere.handle(request, response, rejected);
            return;
        }
        errors.write(response, HttpStatus.BAD_REQUEST, RegistryError.UNSUPPORTED,
                "invalid request path: " + rejected.getMessage());
    }
}
