package io.berth.hub.distribution;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v2/}: tells clients this is a registry speaking the Distribution API. */
@RestController
class BaseController {

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    @RequestMapping(path = "/v2/", method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> base() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(EMPTY_OBJECT);
    }
}
