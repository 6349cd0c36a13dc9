package io.berth.engine.network;

/**
 * Hears every {@link NetworkEvent}: the Engine's event publisher implements it to put them on {@code /events}. Called
 * on the thread that made the change, after the change is done; it must not block.
 */
@FunctionalInterface
public interface NetworkEventListener {

    void onNetworkEvent(NetworkEvent event);
}
