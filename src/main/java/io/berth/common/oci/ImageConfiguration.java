package io.berth.common.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

/**
 * An image's configuration blob (OCI image spec "Image Configuration", Docker's
 * {@code application/vnd.docker.container.image.v1+json}): its platform, its run defaults, its layers' diff ids and
 * its build history. Fields it does not name are ignored when read; those it names are written in this order, absent
 * ones left out.
 *
 * @param created       RFC 3339, as the image states it (possibly absent or malformed in images found in the wild)
 * @param config        the run defaults ({@code Cmd}, {@code Env}, {@code Labels}, ...) as the image holds them: the
 *                      Engine shows them unchanged in {@code docker image inspect} and a container starts from them
 * @param dockerVersion the Docker version that built the image, when Docker did
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfiguration(String architecture, String variant, String os, String created, String author,
        @JsonProperty("docker_version") String dockerVersion, String comment, JsonNode config, RootFs rootfs,
        List<History> history) {

    /** The layers: their diff ids (digests of the uncompressed tars), base first. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }

    /** One build step; {@code emptyLayer} when it made no layer (ENV, CMD, ...). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
            String comment, @JsonProperty("empty_layer") Boolean emptyLayer) {

        public boolean madeNoLayer() {
            return Boolean.TRUE.equals(emptyLayer);
        }
    }

    public ImageConfiguration {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The image's labels, in their order; null when it has none (a free-form map, as the image spec leaves it). */
    public Map<String, String> labels() {
        JsonNode labels = config == null ? null : config.get("Labels");
        if (labels == null || !labels.isObject()) {
            return null;
        }
        Map<String, String> result = new LinkedHashMap<>();
        labels.properties().forEach(label -> result.put(label.getKey(), label.getValue().asString("")));
        return result;
    }
}
