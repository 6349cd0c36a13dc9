package io.berth.engine.image;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.DriverData;
import io.berth.engine.docker.ImageHistoryItem;
import io.berth.engine.docker.ImageInspect;
import io.berth.engine.docker.ImageSummary;
import io.berth.engine.graph.GraphDriver;

/** The answers of {@code docker images}, {@code docker image inspect} and {@code docker history}. */
@Component
@OnEngine
public class ImageViews {

    /** dockerd's zero time, for what it does not track (the last tag time). */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ImageService service;
    private final ImageStore images;
    private final GraphDriver graph;

    private final ObjectProvider<IntermediateImages> intermediates;

    public ImageViews(ImageService service, ImageStore images, GraphDriver graph,
            ObjectProvider<IntermediateImages> intermediates) {
        this.service = service;
        this.images = images;
        this.graph = graph;
        this.intermediates = intermediates;
    }

    /** {@code GET /images/json}: the images {@code filters} lets through, newest first. */
    public List<ImageSummary> list(ImageFilters filters) {
        return list(filters, true);
    }

    /**
     * {@code GET /images/json}: the images {@code filters} lets through, newest first; without {@code all}, no
     * untagged intermediate image of a build.
     */
    public List<ImageSummary> list(ImageFilters filters, boolean all) {
        IntermediateImages hidden = all ? null : intermediates.getIfAvailable();
        List<ImageSummary> list = new ArrayList<>();
        for (ImageRecord image : images.all()) {
            if (hidden != null && hidden.isIntermediate(image.id()) && images.references(image.id()).isEmpty()) {
                continue;
            }
            ImageConfiguration config = service.config(image);
            Map<String, String> labels = config.labels();
            Optional<List<ImageReference>> shown = filters.select(images.references(image.id()), labels);
            if (shown.isEmpty()) {
                continue;
            }
            List<String> tags = new ArrayList<>();
            List<String> digests = new ArrayList<>();
            for (ImageReference ref : shown.get()) {
                (ref.digest() != null ? digests : tags).add(ref.familiar());
            }
            list.add(new ImageSummary(-1, created(config.created()).getEpochSecond(), image.id().toString(), labels,
                    "", digests, tags, -1, image.size()));
        }
        return list;
    }

    /** {@code GET /images/{name}/json}. */
    public ImageInspect inspect(String name) {
        ImageRecord image = service.get(name);
        ImageConfiguration config = service.config(image);
        ImageService.Names names = service.names(image);
        return new ImageInspect(image.id().toString(), names.tags(), names.digests(), "", orEmpty(config.comment()),
                created(config.created()).toString(), orEmpty(config.dockerVersion()), orEmpty(config.author()),
                config.config(), orEmpty(config.architecture()), config.variant(), orEmpty(config.os()),
                image.size(), new DriverData(graphData(image), graph.name()),
                new ImageInspect.RootFs("layers",
                        image.layers().stream().map(layer -> layer.diffId().toString()).toList()),
                new ImageInspect.Metadata(ZERO_TIME));
    }

    /** {@code GET /images/{name}/history}: newest first, as the config's history records the build. */
    public List<ImageHistoryItem> history(String name) {
        ImageRecord image = service.get(name);
        ImageConfiguration config = service.config(image);
        List<ImageHistoryItem> steps = new ArrayList<>();
        int layer = 0;
        for (ImageConfiguration.History step : config.history()) {
            boolean empty = step.madeNoLayer();
            long size = !empty && layer < image.layers().size() ? image.layers().get(layer).size() : 0;
            steps.add(new ImageHistoryItem(orEmpty(step.comment()), created(step.created()).getEpochSecond(),
                    orEmpty(step.createdBy()), "<missing>", size, null));
            if (!empty) {
                layer++;
            }
        }
        Collections.reverse(steps);
        if (!steps.isEmpty()) {
            ImageHistoryItem newest = steps.get(0);
            List<String> tags = service.names(image).tags();
            steps.set(0, new ImageHistoryItem(newest.comment(), newest.created(), newest.createdBy(),
                    image.id().toString(), newest.size(), tags.isEmpty() ? null : tags));
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

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** An image's time as it states it; the epoch when absent or malformed, as images in the wild have it. */
    private static Instant created(String value) {
        try {
            return value == null || value.isEmpty() ? Instant.EPOCH : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
