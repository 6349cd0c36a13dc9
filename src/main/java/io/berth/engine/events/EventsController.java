package io.berth.engine.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import tools.jackson.databind.json.JsonMapper;

import io.berth.engine.OnEngine;
import io.berth.engine.api.EmitterSink;
import io.berth.engine.docker.EventMessage;

/** {@code GET /events}: JSON objects, one a line, for as long as the client listens or until {@code until}. */
@RestController
@OnEngine
class EventsController {

    /**
     * Between two JSON objects a lone newline is skipped by every JSON stream reader (Go's json.Decoder in the docker
     * CLI included): the heartbeat.
     */
    private static final byte[] HEARTBEAT = {'\n'};

    private final EngineEvents events;
    private final JsonMapper json;
    private final Clock clock;

    EventsController(EngineEvents events, JsonMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Each event as one line of JSON; a lone newline as the heartbeat. */
    private final class Lines extends EmitterSink implements EventSink {

        Lines(ResponseBodyEmitter emitter) {
            super(emitter);
        }

        @Override
        public void event(EventMessage message) throws IOException {
            send((json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON);
        }

        @Override
        public void heartbeat() throws IOException {
            send(HEARTBEAT, MediaType.APPLICATION_JSON);
        }
    }

    @GetMapping("/events")
    ResponseEntity<ResponseBodyEmitter> events(@RequestParam(required = false) String since,
            @RequestParam(required = false) String until, @RequestParam(required = false) String filters)
            throws IOException {
        EventQuery query = EventQuery.parse(json, since, until, filters);
        // No timeout: `docker events` listens until it is interrupted.
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        EngineEvents.Subscription subscription = events.subscribe(query.sinceNano(), query.filter());
        emitter.onCompletion(subscription::close);
        emitter.onError(error -> subscription.close());
        emitter.onTimeout(subscription::close);
        // Commit the head now: clients wait for it before they go on (and may never see an event otherwise).
        emitter.send(new byte[0], MediaType.APPLICATION_JSON);
        EventStream.start(subscription, query.untilNano(), clock, new Lines(emitter));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(emitter);
    }
}
