package io.berth.engine.image;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.graph.GraphDriver;
import tools.jackson.databind.JsonNode;

/** The JSON shapes of {@code docker images}, {@code docker image inspect} and {@code docker history}. */
@Component
@OnEngine
public class ImageViews {

    private final ImageService service;
    private final ImageStore images;
    private final ContentStore content;
    private final GraphDriver graph;

    public ImageViews(ImageService service, ImageStore images, ContentStore content, GraphDriver graph) {
        this.service = service;
        this.images = images;
        this.content = content;
        this.graph = graph;
    }

    /** {@code GET /images/json}: every image, newest first. */
    public List<Map<String, Object>> list(ImageFilters filters) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ImageRecord image : images.all()) {
            JsonNode config = config(image);
            Map<String, List<String>> refs = service.repoTagsAndDigests(image);
            if (!filters.matches(refs.get("RepoTags"), config.path("config").path("Labels"))) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Containers", -1);
            entry.put("Created", created(config).getEpochSecond());
            entry.put("Id", image.id().toString());
            entry.put("Labels", labels(config));
            entry.put("ParentId", "");
            entry.put("RepoDigests", refs.get("RepoDigests"));
            entry.put("RepoTags", refs.get("RepoTags"));
            entry.put("SharedSize", -1);
            entry.put("Size", image.size());
            list.add(entry);
        }
        return list;
    }

    /** {@code GET /images/{name}/json}. */
    public Map<String, Object> inspect(String name) {
        ImageRecord image = service.get(name);
        JsonNode config = config(image);
        Map<String, List<String>> refs = service.repoTagsAndDigests(image);
        Map<String, Object> inspect = new LinkedHashMap<>();
        inspect.put("Id", image.id().toString());
        inspect.put("RepoTags", refs.get("RepoTags"));
        inspect.put("RepoDigests", refs.get("RepoDigests"));
        inspect.put("Parent", "");
        inspect.put("Comment", config.path("comment").asString(""));
        inspect.put("Created", created(config).toString());
        inspect.put("DockerVersion", config.path("docker_version").asString(""));
        inspect.put("Author", config.path("author").asString(""));
        inspect.put("Config", config.has("config") ? config.get("config") : null);
        inspect.put("Architecture", config.path("architecture").asString(""));
        if (config.hasNonNull("variant")) {
            inspect.put("Variant", config.get("variant").asString());
        }
        inspect.put("Os", config.path("os").asString(""));
        inspect.put("Size", image.size());
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("Data", graphData(image));
        driver.put("Name", graph.name());
        inspect.put("GraphDriver", driver);
        Map<String, Object> rootFs = new LinkedHashMap<>();
        rootFs.put("Type", "layers");
        rootFs.put("Layers", image.layers().stream().map(layer -> layer.diffId().toString()).toList());
        inspect.put("RootFS", rootFs);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("LastTagTime", "0001-01-01T00:00:00Z");
        inspect.put("Metadata", metadata);
        return inspect;
    }

    /** {@code GET /images/{name}/history}: newest first, as the config's history records the build. */
    public List<Map<String, Object>> history(String name) {
        ImageRecord image = service.get(name);
        JsonNode config = config(image);
        List<Map<String, Object>> steps = new ArrayList<>();
        int layer = 0;
        for (JsonNode step : config.path("history")) {
            boolean empty = step.path("empty_layer").asBoolean(false);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Comment", step.path("comment").asString(""));
            entry.put("Created", parseTime(step.path("created").asString("")).getEpochSecond());
            entry.put("CreatedBy", step.path("created_by").asString(""));
            entry.put("Id", "<missing>");
            entry.put("Size", !empty && layer < image.layers().size() ? image.layers().get(layer).size() : 0);
            entry.put("Tags", null);
            if (!empty) {
                layer++;
            }
            steps.add(entry);
        }
        Collections.reverse(steps);
        if (!steps.isEmpty()) {
            steps.get(0).put("Id", image.id().toString());
            List<String> tags = service.repoTagsAndDigests(image).get("RepoTags");
            steps.get(0).put("Tags", tags.isEmpty() ? null : tags);
        }
        return steps;
    }

    private Map<String, String> graphData(ImageRecord image) {
        Map<String, String> data = new LinkedHashMap<>();
        if (image.layers().isEmpty()) {
            return data;
        }
        String top = image.layers().get(image.layers().size() - 1).chainId().toString();
        if (graph.name().equals("overlay")) {
            List<String> lowers = new ArrayList<>();
            for (int i = image.layers().size() - 2; i >= 0; i--) {
                lowers.add(graph.layerPath(image.layers().get(i).chainId().toString()).toString());
            }
            if (!lowers.isEmpty()) {
                data.put("LowerDir", String.join(":", lowers));
            }
            data.put("UpperDir", graph.layerPath(top).toString());
        } else {
            data.put("Dir", graph.layerPath(top).toString());
        }
        return data;
    }

    private JsonNode config(ImageRecord image) {
        return Manifests.parse(content.read(image.id()));
    }

    private static Object labels(JsonNode config) {
        JsonNode labels = config.path("config").path("Labels");
        return labels.isObject() ? labels : null;
    }

    private static Instant created(JsonNode config) {
        return parseTime(config.path("created").asString(""));
    }

    private static Instant parseTime(String value) {
        try {
            return value.isEmpty() ? Instant.EPOCH : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
