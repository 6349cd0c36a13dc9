package io.berth.engine.build.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.oci.ImageConfiguration;
import io.berth.engine.OnEngine;
import io.berth.engine.build.context.Chown;
import io.berth.engine.build.context.CopyLayer;
import io.berth.engine.build.context.CopySources;
import io.berth.engine.build.context.SourceChecksums;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.graph.GraphDriver;
import io.berth.engine.graph.LayerBlob;
import io.berth.engine.graph.LayerView;
import io.berth.engine.image.ContentStore;
import io.berth.engine.image.ImageRecord;
import io.berth.engine.image.ImageWriter;

/**
 * A {@code COPY} or {@code ADD}: its layer written straight from the sources (the build context, an earlier stage's or
 * an image's file system) over a read-only view of the stage's image, no container needed; the history line names the
 * sources by their checksum, as the classic builder's does ({@code COPY file:<sha256> in /app }).
 */
@Component
@OnEngine
class CopyStep {

    /** Where a copy takes its sources from: a root, how its symlinks may go, and the content digests known. */
    record SourceTree(Path root, CopySources.Origin origin, Function<String, Digest> digests) {
    }

    private final GraphDriver graph;
    private final ContentStore content;
    private final ImageWriter writer;

    CopyStep(GraphDriver graph, ContentStore content, ImageWriter writer) {
        this.graph = graph;
        this.content = content;
        this.writer = writer;
    }

    /**
     * A copy resolved: its sources, where they go and its history line, which names them by checksum (also what
     * the build cache keys the step by, with the owner and mode asked for).
     */
    record Plan(Instruction.Copy copy, SourceTree from, List<CopySources.Source> sources, String destination,
            String createdBy) {

        String cacheKey() {
            return createdBy + "\nchown=" + copy.chown() + "\nchmod=" + copy.chmod();
        }
    }

    /** Resolves the copy's sources in {@code from} and its destination in the stage. */
    Plan plan(Instruction.Copy copy, BuildStage stage, SourceTree from) throws IOException {
        List<String> patterns = copy.sources().stream().map(stage::word).toList();
        String destination = CopyLayer.destination(stage.word(copy.destination()),
                stage.config.path("WorkingDir").asString(""));
        List<CopySources.Source> sources = CopySources.resolve(from.root(), patterns, from.origin(), copy.keyword());
        String checksum = SourceChecksums.of(from.root(), sources, from.digests());
        return new Plan(copy, from, sources, destination,
                "/bin/sh -c #(nop) " + copy.keyword() + " " + checksum + " in " + destination + " ");
    }

    /** Copies; returns the new image. {@code scratch}: an empty directory ADD may extract archives into. */
    ImageRecord copy(Plan plan, BuildStage stage, Path scratch, Instant now) throws IOException {
        Instruction.Copy copy = plan.copy();
        Path file = content.newTempFile("build-copy-");
        try {
            LayerBlob layer;
            try (LayerView view = graph.view(topChainId(stage.image))) {
                Chown chown = copy.chown() == null ? null : Chown.resolve(stage.word(copy.chown()), view.root());
                Integer chmod = copy.chmod() == null ? null : Chown.parseChmod(copy.chmod());
                layer = LayerBlob.write(file, LayerBlob.DEFAULT_LEVEL, tar -> CopyLayer.write(tar, view.root(),
                        new CopyLayer.Copy(plan.sources(), plan.destination(), copy.add(), chown, chmod, scratch)));
            }
            return writer.write(new ImageWriter.ImageDraft(stage.image, List.of(layer), stage.config.deepCopy(),
                    List.of(new ImageConfiguration.History(now.toString(), plan.createdBy(), null, null, null)), null,
                    null, null, now), List.of());
        } finally {
            Files.deleteIfExists(file); // moved into the content store when the image was written
        }
    }

    /** The chain id of the image's top layer, null for none. */
    static String topChainId(ImageRecord image) {
        return image == null || image.layers().isEmpty() ? null
                : image.layers().get(image.layers().size() - 1).chainId().toString();
    }
}
