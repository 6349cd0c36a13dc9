package io.berth.ops;

import java.util.Map;

/**
 * What {@code /actuator/engine} answers: the node's containers and images and what runs them.
 *
 * @param containers       containers by state (Docker's words: created, running, paused, ...), every state listed
 * @param images           images stored on the node
 * @param imageBytes       their unpacked size, as {@code docker images} adds it up (layers shared by images counted
 *                         once per image)
 * @param runtime          what runs containers: native, runc or crun
 * @param cgroupVersion    "1" or "2", as {@code docker info} says
 * @param cgroupLayout     v1, v2 or hybrid
 * @param storageDriver    overlay or vfs
 */
record EngineReport(Map<String, Long> containers, long images, long imageBytes, String runtime, String cgroupVersion,
        String cgroupLayout, String storageDriver) {
}
