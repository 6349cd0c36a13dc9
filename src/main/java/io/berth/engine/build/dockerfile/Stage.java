package io.berth.engine.build.dockerfile;

import java.util.List;

/**
 * One build stage: its {@code FROM} and the instructions up to the next one.
 *
 * @param index from 0, what {@code COPY --from=0} names
 * @param name  the {@code AS} name, lower-cased; null when it has none
 */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {

    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** How the build output names the stage: its name, else its index. */
    public String displayName() {
        return name != null ? name : Integer.toString(index);
    }
}
