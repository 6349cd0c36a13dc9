package io.berth.engine.build.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.stereotype.Service;

import io.berth.common.BerthProperties;
import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.build.context.BuildContext;
import io.berth.engine.build.context.CopySources;
import io.berth.engine.build.dockerfile.Dockerfile;
import io.berth.engine.build.dockerfile.DockerfileParser;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.build.dockerfile.KeyValue;
import io.berth.engine.build.dockerfile.ShellLexer;
import io.berth.engine.build.dockerfile.Stage;
import io.berth.engine.events.EngineEvents;
import io.berth.engine.graph.FileTrees;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.graph.LayerView;
import io.berth.engine.image.ImagePuller;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageReference;
import io.berth.engine.image.ImageService;
import io.berth.engine.image.ImageStore;
import io.berth.engine.image.ImageWriter;
import io.berth.engine.image.PullProgress;
import io.berth.engine.image.RegistryAuth;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker build} with the classic builder: the context read, the Dockerfile parsed, the stages up to the target
 * run step by step (each step an image of the store, as dockerd's are: RUN in a container, COPY and ADD as layers
 * written from their sources, the other instructions as config changes with a history entry), the result tagged.
 * A build that fails leaves none of the images it made and no container.
 */
@Service
@OnEngine
public class ImageBuilder {

    private final ImageStore images;
    private final ImageService imageService;
    private final ImagePuller puller;
    private final ImageWriter writer;
    private final GraphDriver graph;
    private final RunStep runStep;
    private final CopyStep copyStep;
    private final BuildCache cache;
    private final EngineEvents events;
    private final JsonMapper json;
    private final Clock clock;
    private final Path workRoot;

    ImageBuilder(BerthProperties berth, ImageStore images, ImageService imageService, ImagePuller puller,
            ImageWriter writer, GraphDriver graph, RunStep runStep, CopyStep copyStep, BuildCache cache, EngineEvents events,
            JsonMapper json, Clock clock) throws IOException {
        this.images = images;
        this.imageService = imageService;
        this.puller = puller;
        this.writer = writer;
        this.graph = graph;
        this.runStep = runStep;
        this.copyStep = copyStep;
        this.cache = cache;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.workRoot = Files.createDirectories(berth.dataDir().resolve("engine").resolve("build"));
        try (Stream<Path> leftovers = Files.list(workRoot)) { // of builds a crash interrupted
            for (Path leftover : leftovers.toList()) {
                FileTrees.deleteTree(leftover);
            }
        }
    }

    /** Builds; returns the image's id. What fails throws, after removing what the build made. */
    public Digest build(InputStream body, BuildRequest request, BuildOutput output) throws IOException {
        List<ImageReference> tags = new ArrayList<>();
        for (String tag : request.tags()) {
            tags.add(ImageReference.forNewImage(tag, null, "tag"));
        }
        Set<Digest> existing = new LinkedHashSet<>(images.all().stream().map(ImageRecord::id).toList());
        Set<Digest> made = new LinkedHashSet<>();
        Path work = Files.createTempDirectory(workRoot, "build-");
        Digest result = null;
        try (BuildContext context = BuildContext.read(body, request.dockerfile(), work)) {
            Dockerfile dockerfile = parse(context);
            result = run(dockerfile, context, request, output, made, existing, work);
            for (ImageReference tag : tags) {
                images.tag(tag, result);
                events.publish("image", "tag", result.toString(), Map.of("name", tag.familiar()));
            }
            output.image(result.toString());
            output.stream("Successfully built " + result.hex().substring(0, 12) + "\n");
            for (ImageReference tag : tags) {
                output.stream("Successfully tagged " + tag.familiar() + "\n");
            }
            return result;
        } finally {
            if (result == null) { // the steps that succeeded are kept for the cache only when the build does
                for (Digest image : made) {
                    if (images.references(image).isEmpty()) {
                        removeQuietly(image);
                    }
                }
            }
            FileTrees.deleteTree(work);
        }
    }

    private static Dockerfile parse(BuildContext context) {
        try {
            return DockerfileParser.parse(context.dockerfile(), context.dockerfileName());
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorKind.INVALID, e.getMessage());
        }
    }

    private Digest run(Dockerfile dockerfile, BuildContext context, BuildRequest request, BuildOutput output,
            Set<Digest> made, Set<Digest> existing, Path work) throws IOException {
        List<Stage> stages = dockerfile.stagesThrough(request.target());
        ShellLexer lexer = new ShellLexer(dockerfile.escape());
        Map<String, String> metaArgs = new LinkedHashMap<>();
        for (Instruction.Arg arg : dockerfile.metaArgs()) {
            for (KeyValue pair : arg.arguments()) {
                String value = pair.value() == null ? null : lexer.processWord(pair.value(), metaArgs::get);
                String given = request.buildArgs().get(pair.key());
                metaArgs.put(pair.key(), given != null ? given : value);
            }
        }
        int total = dockerfile.steps(stages);
        int step = 0;
        Map<Integer, ImageRecord> built = new HashMap<>();
        BuildStage stage = null;
        for (Stage current : stages) {
            output.stream("Step " + ++step + "/" + total + " : " + current.from().source() + "\n");
            stage = from(dockerfile, current, built, lexer, metaArgs, request);
            output.stream(" ---> " + shortId(stage.image) + "\n");
            for (Instruction instruction : current.instructions()) {
                output.stream("Step " + ++step + "/" + total + " : " + instruction.source() + "\n");
                ImageRecord next = step(dockerfile, current, instruction, stage, context, built, request, output,
                        metaArgs, work);
                if (!existing.contains(next.id())) {
                    made.add(next.id());
                }
                stage.image = next;
                output.stream(" ---> " + shortId(next) + "\n");
            }
            built.put(current.index(), stage.image);
        }
        if (!request.labels().isEmpty()) {
            ObjectNode labels = stage.config.get("Labels") instanceof ObjectNode had ? had
                    : stage.config.putObject("Labels");
            request.labels().forEach(labels::put);
            stage.image = configImage(stage, ConfigSteps.nop("LABEL " + String.join(" ", request.labels().entrySet()
                    .stream().map(label -> label.getKey() + "=" + label.getValue()).toList())));
            made.add(stage.image.id());
        }
        if (stage == null || stage.image == null) {
            throw new BerthException(ErrorKind.INVALID, "No image was generated. Is your Dockerfile empty?");
        }
        return stage.image.id();
    }

    private ImageRecord step(Dockerfile dockerfile, Stage current, Instruction instruction, BuildStage stage,
            BuildContext context, Map<Integer, ImageRecord> built, BuildRequest request, BuildOutput output,
            Map<String, String> metaArgs, Path work) throws IOException {
        try {
            if (instruction instanceof Instruction.Run run) {
                String key = BuildCache.key(stage.image, "RUN " + stage.runEnvironment() + "\n"
                        + run.command().withShell(stage.shell()));
                Optional<ImageRecord> hit = cached(key, request, output);
                return hit.isPresent() ? hit.get()
                        : remember(key, images.get(runStep.run(run, stage, output)).orElseThrow());
            }
            if (instruction instanceof Instruction.Copy copy) {
                return copy(dockerfile, current, copy, stage, context, built, request, output, work);
            }
            String createdBy = ConfigSteps.apply(instruction, stage, request.buildArgs(), metaArgs);
            String key = BuildCache.key(stage.image, createdBy + "\n" + json.writeValueAsString(stage.config));
            Optional<ImageRecord> hit = cached(key, request, output);
            return hit.isPresent() ? hit.get() : remember(key, configImage(stage, createdBy));
        } catch (IllegalArgumentException e) {
            throw new BerthException(ErrorKind.INVALID, "Dockerfile line " + instruction.line() + ": "
                    + e.getMessage());
        }
    }

    /** The image the cache has for {@code key}, announced as the classic builder does; none with --no-cache. */
    private Optional<ImageRecord> cached(String key, BuildRequest request, BuildOutput output) throws IOException {
        Optional<ImageRecord> hit = request.noCache() ? Optional.empty() : cache.find(key);
        if (hit.isPresent()) {
            output.stream(" ---> Using cache\n");
        }
        return hit;
    }

    private ImageRecord remember(String key, ImageRecord image) throws IOException {
        cache.put(key, image.id());
        return image;
    }

    private ImageRecord copy(Dockerfile dockerfile, Stage current, Instruction.Copy copy, BuildStage stage,
            BuildContext context, Map<Integer, ImageRecord> built, BuildRequest request, BuildOutput output,
            Path work) throws IOException {
        if (copy.from() == null) {
            return copy(copy, stage, new CopyStep.SourceTree(context.root(), CopySources.Origin.CONTEXT,
                    path -> context.contentDigest(path).orElse(null)), request, output, work);
        }
        String from = stage.word(copy.from());
        ImageRecord source = dockerfile.earlierStage(from, current.index(), true)
                .map(earlier -> built.get(earlier.index()))
                .orElseGet(() -> image(from, request));
        try (LayerView view = graph.view(CopyStep.topChainId(source))) {
            return copy(copy, stage, new CopyStep.SourceTree(view.root(), CopySources.Origin.IMAGE, path -> null),
                    request, output, work);
        }
    }

    private ImageRecord copy(Instruction.Copy copy, BuildStage stage, CopyStep.SourceTree from, BuildRequest request,
            BuildOutput output, Path work) throws IOException {
        CopyStep.Plan plan = copyStep.plan(copy, stage, from);
        String key = BuildCache.key(stage.image, plan.cacheKey());
        Optional<ImageRecord> hit = cached(key, request, output);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path scratch = Files.createTempDirectory(work, "add-");
        try {
            return remember(key, copyStep.copy(plan, stage, scratch, clock.instant()));
        } finally {
            FileTrees.deleteTree(scratch);
        }
    }

    /** The stage's start: an earlier stage's image, {@code scratch}, or an image of the store (pulled if missing). */
    private BuildStage from(Dockerfile dockerfile, Stage current, Map<Integer, ImageRecord> built, ShellLexer lexer,
            Map<String, String> metaArgs, BuildRequest request) {
        String name = lexer.processWord(current.from().image(), metaArgs::get);
        ImageRecord image;
        if (name.equalsIgnoreCase("scratch")) {
            image = null;
        } else {
            image = dockerfile.earlierStage(name, current.index(), false).map(earlier -> built.get(earlier.index()))
                    .orElseGet(() -> image(name, request));
        }
        ObjectNode config = json.createObjectNode();
        if (image != null) {
            JsonNode own = imageService.config(image).config();
            if (own instanceof ObjectNode object) {
                config = object.deepCopy();
            }
        }
        return new BuildStage(image, config, lexer);
    }

    /** An image by name: the store's, or pulled when missing or when the build asks to pull. */
    private ImageRecord image(String name, BuildRequest request) {
        ImageReference reference = ImageReference.parse(name).withDefaultTag();
        if (!request.pull()) {
            var found = images.find(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        RegistryAuth auth = request.auths().getOrDefault(reference.domain(), request.auths().getOrDefault(
                reference.registryHost(), reference.domain().equals(ImageReference.DOCKER_HUB)
                        ? request.auths().getOrDefault("https://index.docker.io/v1/", RegistryAuth.ANONYMOUS)
                        : RegistryAuth.ANONYMOUS));
        return puller.pull(reference, auth, PullProgress.NONE).image();
    }

    /** A step that changes only the config: an image with the parent's layers and a history entry without one. */
    private ImageRecord configImage(BuildStage stage, String createdBy) throws IOException {
        Instant now = clock.instant();
        return writer.write(new ImageWriter.ImageDraft(stage.image, List.of(), stage.config.deepCopy(),
                List.of(new ImageConfiguration.History(now.toString(), createdBy, null, null, true)), null, null, null,
                now), List.of());
    }

    private void removeQuietly(Digest image) {
        try {
            imageService.remove(image.toString(), false);
        } catch (RuntimeException e) {
            // in use by a container, or gone: nothing of this build to clean then
        }
    }

    private static String shortId(ImageRecord image) {
        return image == null ? "" : image.id().hex().substring(0, 12);
    }
}
