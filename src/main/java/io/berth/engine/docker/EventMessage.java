package io.berth.engine.docker;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of {@code GET /events} (swagger {@code EventMessage}, moby's {@code events.Message}). Before the type,
 * action and actor come the fields of the old format that dockerd still sends up to API 1.51 for container and image
 * events ({@code status} the action, {@code id} the actor's, {@code from} a container's image): the docker CLI's
 * {@code --format '{{.Status}}'} and older clients read them.
 */
public record EventMessage(
        @JsonProperty("status") @JsonInclude(Include.NON_EMPTY) String status,
        @JsonProperty("id") @JsonInclude(Include.NON_EMPTY) String id,
        @JsonProperty("from") @JsonInclude(Include.NON_EMPTY) String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    /** What the event is about: its id and attributes (name, image, labels, exit code, ...). */
    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }
}
