package io.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.Platform;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.ImageDeleteItem;
import io.berth.engine.docker.ImageHistoryItem;
import io.berth.engine.docker.ImageInspect;
import io.berth.engine.docker.ImagePruneReport;
import io.berth.engine.docker.ImageSummary;
import io.berth.engine.docker.ProgressMessage;
import tools.jackson.databind.json.JsonMapper;

/** The image part of the Docker Engine API: pull, import, push, list, inspect, history, tag, remove, prune. */
@RestController
@OnEngine
class ImagesController {

    private final ImagePuller puller;
    private final ImagePusher pusher;
    private final ImageService service;
    private final ImageViews views;
    private final ImageImporter importer;
    private final JsonMapper json;

    ImagesController(ImagePuller puller, ImagePusher pusher, ImageService service, ImageViews views,
            ImageImporter importer, JsonMapper json) {
        this.importer = importer;
        this.puller = puller;
        this.pusher = pusher;
        this.service = service;
        this.views = views;
        this.json = json;
    }

    /**
     * {@code docker pull}, or {@code docker import} when {@code fromSrc} is given. What can fail before anything is
     * transferred (bad name, unknown manifest, no access) is a plain HTTP error; after that the answer is 200 and
     * errors arrive as a JSON line, as with dockerd.
     */
    @PostMapping("/images/create")
    ResponseEntity<?> create(@RequestParam(required = false) String fromImage,
            @RequestParam(required = false) String fromSrc, @RequestParam(required = false) String tag,
            @RequestParam(required = false) String platform,
            @RequestHeader(name = "X-Registry-Auth", required = false) String registryAuth,
            @RequestParam MultiValueMap<String, String> parameters, InputStream body) throws IOException {
        if (fromSrc != null && !fromSrc.isEmpty()) {
            return importImage(fromSrc, parameters, platform, body);
        }
        if (fromImage == null || fromImage.isEmpty()) {
            throw invalid("missing parameter: fromImage");
        }
        if (platform != null && !platform.isEmpty() && !platform.equals(Platform.current().toString())) {
            throw invalid("platform " + platform + " is not supported by this engine, which runs "
                    + Platform.current());
        }
        ImageReference reference = reference(fromImage, tag);
        PullPlan plan = puller.resolve(reference, RegistryAuth.fromHeader(registryAuth, json));
        // No timeout: a big pull may take far longer than the default for asynchronous requests.
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        JsonLines lines = new JsonLines(emitter, json);
        puller.start(plan, lines).whenComplete((result, error) -> finish(emitter, lines, error));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    /**
     * {@code docker import}: the archive is the body ({@code fromSrc=-}); URLs are not fetched. dockerd writes nothing
     * before the image exists, so errors are plain HTTP errors, and success is one line with the image id.
     * {@code changes} is read from the raw parameters: a single change like {@code CMD ["a","b"]} holds commas that a
     * list binding would split on.
     */
    private ResponseEntity<byte[]> importImage(String fromSrc, MultiValueMap<String, String> parameters,
            String platform, InputStream body) throws IOException {
        if (!fromSrc.equals("-")) {
            throw invalid("importing from a URL is not supported by this engine: send the archive in the request "
                    + "body (fromSrc=-), as docker import FILE does");
        }
        List<String> changes = parameters.getOrDefault("changes", List.of());
        Digest id = importer.importImage(body, new ImageImporter.ImportRequest(parameters.getFirst("repo"),
                parameters.getFirst("tag"), parameters.getFirst("message"), changes, platform));
        byte[] line = (json.writeValueAsString(ProgressMessage.status(id.toString())) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(line);
    }

    /**
     * {@code docker push}: {@code name} is the repository, {@code tag} the tag (none: every tag of the repository).
     * A missing local image is a plain 404; registry errors come as a JSON line after the progress, as with dockerd.
     */
    @PostMapping(ImagePathFilter.PUSH_PATH)
    ResponseEntity<ResponseBodyEmitter> push(@RequestAttribute(ImagePathFilter.PUSHED_NAME) String name,
            @RequestParam(required = false) String tag,
            @RequestHeader(name = "X-Registry-Auth", required = false) String registryAuth) {
        ImagePusher.PushPlan plan = pusher.plan(name, tag, RegistryAuth.fromHeader(registryAuth, json));
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        JsonLines lines = new JsonLines(emitter, json);
        pusher.start(plan, lines).whenComplete((result, error) -> finish(emitter, lines, error));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }

    /** Ends a progress stream, with the error as its last line when the transfer failed. */
    private static void finish(ResponseBodyEmitter emitter, JsonLines lines, Throwable error) {
        if (error != null) {
            Throwable cause = error.getCause() != null && !(error instanceof BerthException) ? error.getCause() : error;
            lines.report(ProgressMessage.error(cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        }
        emitter.complete();
    }

    @GetMapping("/images/json")
    List<ImageSummary> list(@RequestParam(required = false) String filters,
            @RequestParam(defaultValue = "false") boolean all) {
        return views.list(ImageFilters.parse(filters, json), all);
    }

    @GetMapping("/images/{name}/json")
    ImageInspect inspect(@PathVariable String name) {
        return views.inspect(name);
    }

    @GetMapping("/images/{name}/history")
    List<ImageHistoryItem> history(@PathVariable String name) {
        return views.history(name);
    }

    @PostMapping("/images/{name}/tag")
    ResponseEntity<Void> tag(@PathVariable String name, @RequestParam String repo,
            @RequestParam(required = false) String tag) {
        service.tag(name, repo, tag);
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @DeleteMapping("/images/{name}")
    List<ImageDeleteItem> remove(@PathVariable String name, @RequestParam(defaultValue = "false") boolean force) {
        return service.remove(name, force);
    }

    /** {@code docker image prune}: {@code filters={"dangling":["false"]}} (with {@code -a}) prunes unused ones too. */
    @PostMapping("/images/prune")
    ImagePruneReport prune(@RequestParam(required = false) String filters) {
        ImageService.Pruned pruned = service.prune(ImageFilters.prunesTaggedImages(filters, json));
        return new ImagePruneReport(pruned.removals().isEmpty() ? null : pruned.removals(), pruned.spaceReclaimed());
    }

    /** {@code fromImage} with {@code tag} applied: a tag, or a digest when it looks like one. */
    private static ImageReference reference(String fromImage, String tag) {
        ImageReference reference = ImageReference.parse(fromImage);
        if (tag == null || tag.isEmpty()) {
            return reference;
        }
        if (Digest.looksLikeDigest(tag)) {
            try {
                return reference.withDigest(Digest.parse(tag));
            } catch (RuntimeException e) {
                throw invalid("invalid digest: " + tag);
            }
        }
        return reference.withTag(tag);
    }

    private static BerthException invalid(String message) {
        return new BerthException(ErrorKind.INVALID, message);
    }

    /** Progress as newline-terminated JSON lines, each sent (and flushed) as it comes. */
    private static final class JsonLines implements PullProgress {

        private final ResponseBodyEmitter emitter;
        private final JsonMapper json;
        private boolean gone;

        JsonLines(ResponseBodyEmitter emitter, JsonMapper json) {
            this.emitter = emitter;
            this.json = json;
        }

        @Override
        public synchronized void report(ProgressMessage message) {
            if (gone) {
                return;
            }
            try {
                byte[] line = (json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
                emitter.send(line, MediaType.APPLICATION_JSON);
            } catch (IOException | IllegalStateException e) {
                // The client went away; the pull goes on (other pulls may share its downloads).
                gone = true;
            }
        }
    }
}
