package io.berth.engine.image;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.berth.engine.OnEngine;
import io.berth.engine.api.EngineException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /auth}, what {@code docker login} asks the daemon: whether the registry accepts the credentials. The
 * daemon keeps nothing; the CLI stores them and sends them along with each pull or push.
 */
@RestController
@OnEngine
class RegistryLoginController {

    private final RegistryClient registry;

    RegistryLoginController(RegistryClient registry) {
        this.registry = registry;
    }

    @PostMapping("/auth")
    Map<String, String> login(@RequestBody JsonNode body) {
        String username = body.path("username").asString("");
        String password = body.path("password").asString("");
        String identityToken = body.path("identitytoken").asString("");
        if (username.isEmpty() && identityToken.isEmpty()) {
            throw EngineException.badRequest("a login needs a username and password or an identity token");
        }
        String domain = domain(body.path("serveraddress").asString(""));
        registry.login(domain, identityToken.isEmpty() ? new RegistryAuth(username, password, null)
                : new RegistryAuth(username.isEmpty() ? null : username, null, identityToken));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("Status", "Login Succeeded");
        answer.put("IdentityToken", "");
        return answer;
    }

    @ExceptionHandler(ImageTransferException.class)
    ResponseEntity<Map<String, String>> refused(ImageTransferException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("message", e.getMessage()));
    }

    /** {@code https://index.docker.io/v1/}, {@code http://localhost:5000} or {@code localhost:5000} → the domain. */
    static String domain(String serverAddress) {
        String address = serverAddress.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = address.indexOf('/');
        if (slash >= 0) {
            address = address.substring(0, slash);
        }
        if (address.isEmpty() || address.equals("index.docker.io")) {
            return ImageReference.DOCKER_HUB;
        }
        if (!ImageReference.isValid(address + "/login") || !ImageReference.parse(address + "/login").domain()
                .equals(address)) {
            throw EngineException.badRequest("invalid registry address: " + serverAddress);
        }
        return address;
    }
}
