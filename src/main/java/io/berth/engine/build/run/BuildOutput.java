package io.berth.engine.build.run;

import java.io.IOException;

/** Where a build's progress goes: the terminal text of the classic builder, and the id of the image made. */
public interface BuildOutput {

    /** Text as the docker CLI prints it ({@code Step 1/3 : FROM busybox\n}, a RUN's output). */
    void stream(String text) throws IOException;

    /** The image built, {@code sha256:<hex>}. */
    void image(String id) throws IOException;
}
