package io.berth.engine.runtime.spec;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The container's first process. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Process(boolean terminal, ConsoleSize consoleSize, User user, List<String> args, List<String> env,
        String cwd, Capabilities capabilities, List<Rlimit> rlimits, boolean noNewPrivileges, Integer oomScoreAdj) {
}
