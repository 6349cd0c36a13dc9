package io.berth.hub.web;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import io.berth.common.error.ErrorStatus;
import io.berth.hub.HubException;

/**
 * Base of the web UI's page controllers: a refusal of the services (not found, forbidden, invalid, conflict) becomes
 * the error page with the same status and message the REST API would answer. A repository a viewer may not see is
 * "not found" here as there.
 */
public abstract class PageController {

    @ExceptionHandler(HubException.class)
    public String refused(HubException e, HttpServletResponse response, Model model) {
        return errorPage(response, model, ErrorStatus.of(e.kind()), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public String mismatch(MethodArgumentTypeMismatchException e, HttpServletResponse response, Model model) {
        return errorPage(response, model, 400, "invalid " + e.getName() + ": " + e.getValue());
    }

    /** Renders the error page with a status and the message to show. */
    protected static String errorPage(HttpServletResponse response, Model model, int status, String message) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        return "error";
    }
}
