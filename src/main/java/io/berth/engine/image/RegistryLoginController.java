package io.berth.engine.image;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;
import io.berth.engine.OnEngine;
import io.berth.engine.docker.AuthConfig;
import io.berth.engine.docker.SystemAuthResponse;

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
    SystemAuthResponse login(@RequestBody AuthConfig body) {
        RegistryAuth auth = RegistryAuth.of(body);
        if (auth.anonymous()) {
            throw new BerthException(ErrorKind.INVALID,
                    "a login needs a username and password or an identity token");
        }
        String domain = domain(body.serverAddress() == null ? "" : body.serverAddress());
        registry.login(domain, auth);
        return new SystemAuthResponse("Login Succeeded", "");
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
            throw new BerthException(ErrorKind.INVALID, "invalid registry address: " + serverAddress);
        }
        return address;
    }
}
