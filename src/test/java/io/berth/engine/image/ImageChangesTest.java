package io.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code docker import --change} read as dockerd reads Dockerfile instructions. */
class ImageChangesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String apply(String... changes) {
        ObjectNode config = JSON.createObjectNode();
        ImageChanges.apply(JSON, config, List.of(changes));
        return config.toString();
    }

    @Test
    void envInBothFormsWithQuotesEscapesAndVariables() {
        assertThat(apply("ENV PATH=/opt/java/bin:/bin", "env JAVA_HOME=/opt/java HOME=\"/var/lib/my home\"",
                "ENV PATH=$JAVA_HOME/sbin:${PATH}", "ENV GREETING hello   wide world", "ENV Q='$PATH' E=a\\ b"))
                .isEqualTo("{\"Env\":[\"PATH=/opt/java/sbin:/opt/java/bin:/bin\",\"JAVA_HOME=/opt/java\","
                        + "\"HOME=/var/lib/my home\",\"GREETING=hello wide world\",\"Q=$PATH\",\"E=a b\"]}");
    }

    @Test
    void commandsInExecAndShellForm() {
        assertThat(apply("CMD [\"java\", \"-version\"]")).isEqualTo("{\"Cmd\":[\"java\",\"-version\"]}");
        assertThat(apply("CMD echo $HOME && ls")).isEqualTo("{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo $HOME && ls\"]}");
        // ENTRYPOINT drops a CMD set before it only when that CMD came from elsewhere, as in a Dockerfile.
        assertThat(apply("CMD [\"a\"]", "ENTRYPOINT [\"e\"]"))
                .isEqualTo("{\"Cmd\":[\"a\"],\"Entrypoint\":[\"e\"]}");
        assertThat(apply("ENTRYPOINT [\"e\"]")).isEqualTo("{\"Entrypoint\":[\"e\"],\"Cmd\":null}");
    }

    @Test
    void portsLabelsVolumesUserWorkdirStopSignal() {
        assertThat(apply("EXPOSE 80 53/udp 8000-8001", "LABEL a=1 \"b c\"=\"two words\"", "VOLUME [\"/data\"]",
                "VOLUME /logs /cache", "USER berth", "WORKDIR /srv", "WORKDIR app", "STOPSIGNAL SIGINT"))
                .isEqualTo("{\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{},\"8000/tcp\":{},\"8001/tcp\":{}},"
                        + "\"Labels\":{\"a\":\"1\",\"b c\":\"two words\"},"
                        + "\"Volumes\":{\"/data\":{},\"/logs\":{},\"/cache\":{}},\"User\":\"berth\","
                        + "\"WorkingDir\":\"/srv/app\",\"StopSignal\":\"SIGINT\"}");
    }

    @Test
    void whatDockerdRefuses() {
        assertThatThrownBy(() -> apply("RUN apt-get update")).hasMessage("RUN is not a valid change command");
        assertThatThrownBy(() -> apply("FROM scratch")).hasMessage("FROM is not a valid change command");
        assertThatThrownBy(() -> apply("ENV ALONE")).hasMessageContaining("ENV names ALONE but no value");
        assertThatThrownBy(() -> apply("EXPOSE http")).hasMessage("invalid containerPort: http");
        assertThatThrownBy(() -> apply("EXPOSE 80/icmp")).hasMessage("invalid proto: icmp");
        assertThatThrownBy(() -> apply("USER a b")).hasMessage("USER requires exactly one argument");
        assertThatThrownBy(() -> apply("LABEL a=\"open")).hasMessageContaining("matching \"");
    }
}
