package io.berth.engine.container;

import tools.jackson.databind.json.JsonMapper;

/** The package's one JSON mapper, with Jackson's defaults. */
final class JsonMaps {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonMaps() {
    }
}
