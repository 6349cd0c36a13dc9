package io.berth.engine.events;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.berth.engine.OnEngine;
import io.berth.engine.network.NetworkEvent;
import io.berth.engine.network.NetworkEventListener;

/**
 * Puts the networks' events on {@code docker events} ({@code Type: network}) as dockerd words them: the network's id
 * as the actor, its {@code name} and {@code type} (the driver), and the {@code container} connected or disconnected.
 */
@Component
@OnEngine
class NetworkEvents implements NetworkEventListener {

    private final EngineEvents events;

    NetworkEvents(EngineEvents events) {
        this.events = events;
    }

    @Override
    public void onNetworkEvent(NetworkEvent event) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (event.containerId() != null) {
            attributes.put("container", event.containerId());
        }
        attributes.put("name", event.networkName());
        attributes.put("type", event.driver() == null ? "null" : event.driver());
        events.publish("network", event.action(), event.networkId(), attributes);
    }
}
