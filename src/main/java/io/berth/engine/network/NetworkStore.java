package io.berth.engine.network;

import java.util.List;

/**
 * Where the Engine keeps its networks and what it gave each container (addresses, ports), so that both outlive a
 * restart. Each call replaces or removes one record whole; a reader never sees half of one.
 */
public interface NetworkStore {

    List<NetworkDefinition> networks();

    void save(NetworkDefinition network);

    void deleteNetwork(String networkId);

    List<ContainerNetwork> containers();

    void save(ContainerNetwork container);

    void deleteContainer(String containerId);
}
