package io.berth.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.berth.support.Commands;
import io.berth.support.RequiredTools;

/** The real {@code curl}, as an operator checks Berth from a shell: one request, its status and body. */
final class Curl {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STATUS_MARK = "\n--curl-status:";

    private final Path curl = RequiredTools.require("curl", "curl");
    private Path unixSocket;

    record Response(int status, String body) {

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** Requests go to the Engine API's unix socket ({@code curl --unix-socket}); URLs then name any host. */
    Curl overUnixSocket(Path socket) {
        Curl over = new Curl();
        over.unixSocket = socket;
        return over;
    }

    Response get(String url) {
        return request("GET", url, null);
    }

    /** {@code method url}, with a JSON body when {@code json} is not null. */
    Response request(String method, String url, String json, String... headers) {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "--silent", "--show-error",
                "--max-time", "120", "-X", method, "--write-out", STATUS_MARK + "%{http_code}"));
        if (unixSocket != null) {
            command.addAll(List.of("--unix-socket", unixSocket.toString()));
        }
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        if (json != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
        }
        command.add(url);
        String out = Commands.of(command).timeout(Duration.ofMinutes(3)).run().assertSuccess().stdout();
        int mark = out.lastIndexOf(STATUS_MARK);
        return new Response(Integer.parseInt(out.substring(mark + STATUS_MARK.length()).trim()), out.substring(0, mark));
    }
}
