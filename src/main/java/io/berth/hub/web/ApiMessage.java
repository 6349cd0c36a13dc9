package io.berth.hub.web;

/** The body of every refusal of the REST API: {@code {"message": "..."}}. */
public record ApiMessage(String message) {
}
