package io.berth.engine.docker;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** The body of {@code POST /containers/{id}/update} (moby's {@code UpdateConfig}): resources and restart policy. */
@DockerJson
public record ContainerUpdateRequest(@JsonUnwrapped Resources resources, RestartPolicy restartPolicy) {

    public ContainerUpdateRequest {
        resources = resources == null ? Resources.none() : resources;
    }
}
