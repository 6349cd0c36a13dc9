package io.berth.engine.build.run;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.springframework.stereotype.Component;

import io.berth.common.Digest;
import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.OnEngine;
import io.berth.engine.build.dockerfile.Instruction;
import io.berth.engine.container.ContainerCommits;
import io.berth.engine.container.ContainerCreator;
import io.berth.engine.container.ContainerLifecycle;
import io.berth.engine.container.ContainerLogs;
import io.berth.engine.container.LogEntry;
import io.berth.engine.container.LogListener;
import io.berth.engine.docker.ContainerConfig;
import io.berth.engine.docker.ContainerCreateRequest;
import io.berth.engine.docker.HostConfig;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code RUN}: a container of the Engine's own runtime on the stage's image, with the stage's environment (ARGs
 * included), user, working directory and shell, its output streamed into the build's; when it exits 0 its changes are
 * committed as the next image, as the classic builder commits them. The container is removed either way.
 */
@Component
@OnEngine
class RunStep {

    private final ContainerCreator creator;
    private final ContainerLifecycle lifecycle;
    private final ContainerLogs logs;
    private final ContainerCommits commits;
    private final JsonMapper json;

    RunStep(ContainerCreator creator, ContainerLifecycle lifecycle, ContainerLogs logs, ContainerCommits commits,
            JsonMapper json) {
        this.creator = creator;
        this.lifecycle = lifecycle;
        this.logs = logs;
        this.commits = commits;
        this.json = json;
    }

    /** Runs {@code run} on the stage's image; returns the id of the image with its changes. */
    Digest run(Instruction.Run run, BuildStage stage, BuildOutput output) throws IOException {
        if (stage.image == null) {
            throw new BerthException(ErrorKind.INVALID, "Dockerfile line " + run.line()
                    + ": RUN needs a shell and there is none in an empty image (FROM scratch)");
        }
        List<String> command = run.command().withShell(stage.shell());
        ContainerConfig config = new ContainerConfig("", "", stage.config.path("User").asString(""), false, true,
                true, null, false, false, false, stage.runEnvironment(), command, null, false,
                stage.image.id().toString(), null, stage.config.path("WorkingDir").asString(""), List.of(), false, "",
                null, null, "", null, null);
        String id = creator.create(null, new ContainerCreateRequest(config, HostConfig.empty(), null)).id();
        try {
            output.stream(" ---> Running in " + id.substring(0, 12) + "\n");
            CompletableFuture<Integer> exit = lifecycle.await(id, "next-exit");
            lifecycle.start(id);
            int code = exit.get();
            relayOutput(id, output);
            if (code != 0) {
                throw new BuildStepFailedException("The command '" + String.join(" ", command)
                        + "' returned a non-zero code: " + code, code);
            }
            ContainerConfig image = json.treeToValue(stage.config, ContainerConfig.class);
            return commits.commit(new ContainerCommits.CommitRequest(id, null, null, null, null, List.of(), false,
                    image));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorKind.FAILED, "the build was interrupted");
        } catch (ExecutionException e) {
            throw new BerthException(ErrorKind.FAILED, "RUN failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            lifecycle.remove(id, true, true);
            output.stream("Removing intermediate container " + id.substring(0, 12) + "\n");
        }
    }

    /** The container's output, all of it (it has exited), into the build's. */
    private void relayOutput(String id, BuildOutput output) throws IOException, InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        IOException[] failure = new IOException[1];
        logs.follow(id, Integer.MAX_VALUE, new LogListener() {
            @Override
            public void entry(LogEntry entry) throws IOException {
                output.stream(entry.log());
            }

            @Override
            public void flush() {
            }

            @Override
            public void idle() {
            }

            @Override
            public void completed() {
                done.countDown();
            }

            @Override
            public void failed(Throwable error) {
                failure[0] = error instanceof IOException io ? io : new IOException(error);
                done.countDown();
            }
        });
        done.await();
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
