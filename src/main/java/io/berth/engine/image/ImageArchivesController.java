package io.berth.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.berth.engine.OnEngine;
import io.berth.engine.docker.ProgressMessage;
import io.berth.engine.docker.StreamMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker save} ({@code GET /images/get?names=...}, {@code GET /images/{name}/get}) and {@code docker load}
 * ({@code POST /images/load}). A name that is no image is a 404 before any byte of the archive; an archive that cannot
 * be loaded a 400 before anything is stored.
 */
@RestController
@OnEngine
class ImageArchivesController {

    private static final MediaType TAR = MediaType.parseMediaType("application/x-tar");

    private final ImageSaver saver;
    private final ImageLoader loader;
    private final JsonMapper json;

    ImageArchivesController(ImageSaver saver, ImageLoader loader, JsonMapper json) {
        this.saver = saver;
        this.loader = loader;
        this.json = json;
    }

    @GetMapping("/images/get")
    ResponseEntity<StreamingResponseBody> saveAll(@RequestParam MultiValueMap<String, String> parameters) {
        List<ImageSaver.Saved> saved = saver.plan(parameters.getOrDefault("names", List.of()));
        return ResponseEntity.ok().contentType(TAR).body(out -> saver.write(saved, out));
    }

    @GetMapping("/images/{name}/get")
    ResponseEntity<StreamingResponseBody> save(@PathVariable String name) {
        List<ImageSaver.Saved> saved = saver.plan(List.of(name));
        return ResponseEntity.ok().contentType(TAR).body(out -> saver.write(saved, out));
    }

    /**
     * Loads the archive in the body; answers the lines dockerd writes: a "Loading layer" line per new layer unless
     * {@code quiet}, then {@code Loaded image: ...} per tag (or image id).
     */
    @PostMapping("/images/load")
    ResponseEntity<byte[]> load(@RequestParam(defaultValue = "false") boolean quiet, InputStream body)
            throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (ImageLoader.LoadPlan plan = loader.prepare(body)) {
            if (!quiet) {
                plan.layerSizes().forEach((diffId, size) -> line(lines, ProgressMessage.layer("Loading layer",
                        diffId.hex().substring(0, 12), size, size)));
            }
            for (String loaded : plan.commit()) {
                line(lines, StreamMessage.stream(loaded + "\n"));
            }
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(lines.toByteArray());
    }

    private void line(ByteArrayOutputStream lines, Object message) {
        lines.writeBytes((json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
