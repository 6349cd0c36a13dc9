package io.berth.engine.build.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.AuthConfig;
import io.berth.engine.docker.BuildCachePruneResponse;
import io.berth.engine.docker.StreamMessage;
import io.berth.engine.image.RegistryAuth;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /build}, the classic builder's endpoint ({@code DOCKER_BUILDKIT=0 docker build}, docker-java's
 * {@code buildImageCmd}, docker-compose's {@code build:}): the context tar is the body, the answer a JSON stream of
 * {@code {"stream": ...}} lines, the image's {@code {"aux":{"ID": ...}}}, or the error that ended the build.
 */
@RestController
@OnEngine
class BuildController {

    private static final Logger log = LoggerFactory.getLogger(BuildController.class);

    private final ImageBuilder builder;
    private final BuildCache cache;
    private final JsonMapper json;

    BuildController(ImageBuilder builder, BuildCache cache, JsonMapper json) {
        this.builder = builder;
        this.cache = cache;
        this.json = json;
    }

    /** {@code docker builder prune}: the cache emptied, its images that nothing else uses removed. */
    @PostMapping("/build/prune")
    BuildCachePruneResponse prune() throws IOException {
        BuildCache.Pruned pruned = cache.prune();
        return new BuildCachePruneResponse(pruned.removed(), pruned.spaceReclaimed());
    }

    @PostMapping("/build")
    ResponseEntity<StreamingResponseBody> build(@RequestParam(defaultValue = "") String dockerfile,
            @RequestParam(name = "t", required = false) List<String> tags,
            @RequestParam(required = false) String buildargs, @RequestParam(required = false) String labels,
            @RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "false") boolean nocache,
            @RequestParam(defaultValue = "false") boolean pull, @RequestParam(defaultValue = "false") boolean q,
            @RequestHeader(name = "X-Registry-Config", required = false) String registryConfig, InputStream body) {
        BuildRequest request = new BuildRequest(dockerfile, tags == null ? List.of() : tags, map(buildargs, "buildargs"),
                map(labels, "labels"), target, nocache, pull, q, auths(registryConfig));
        StreamingResponseBody stream = out -> {
            Lines lines = new Lines(out, json, q);
            try {
                builder.build(body, request, lines);
            } catch (BuildStepFailedException e) {
                lines.write(StreamMessage.error(e.code(), e.getMessage()));
            } catch (BerthException e) {
                lines.write(StreamMessage.error(e.getMessage()));
            } catch (IOException | RuntimeException e) {
                log.warn("build failed", e);
                lines.write(StreamMessage.error(e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        };
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(stream);
    }

    private Map<String, String> map(String value, String name) {
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> parsed = json.readValue(value, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return parsed == null ? Map.of() : parsed;
        } catch (JacksonException e) {
            throw new BerthException(ErrorKind.INVALID, "invalid " + name + ": not a JSON object of strings");
        }
    }

    /** {@code X-Registry-Config}: base64url JSON of credentials by registry. */
    private Map<String, RegistryAuth> auths(String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        try {
            String normalised = header.trim().replace('+', '-').replace('/', '_').replace("=", "");
            Map<String, AuthConfig> configs = json.readValue(Base64.getUrlDecoder().decode(normalised),
                    new TypeReference<LinkedHashMap<String, AuthConfig>>() {
                    });
            Map<String, RegistryAuth> auths = new LinkedHashMap<>();
            if (configs != null) {
                configs.forEach((host, config) -> auths.put(host, RegistryAuth.of(config)));
            }
            return auths;
        } catch (IllegalArgumentException | JacksonException e) {
            throw new BerthException(ErrorKind.INVALID, "invalid X-Registry-Config header: " + e.getMessage());
        }
    }

    /** The JSON lines of the answer, written as they come (RUN output arrives on a log thread). */
    private static final class Lines implements BuildOutput {

        private final OutputStream out;
        private final JsonMapper json;
        private final boolean quiet;

        Lines(OutputStream out, JsonMapper json, boolean quiet) {
            this.out = out;
            this.json = json;
            this.quiet = quiet;
        }

        @Override
        public void stream(String text) throws IOException {
            if (!quiet) {
                write(StreamMessage.stream(text));
            }
        }

        @Override
        public void image(String id) throws IOException {
            write(StreamMessage.image(id));
            if (quiet) {
                write(StreamMessage.stream(id + "\n"));
            }
        }

        synchronized void write(StreamMessage message) throws IOException {
            out.write((json.writeValueAsString(message) + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
