package io.berth.engine.console;

import java.util.List;

/**
 * One row of the node page's container table.
 *
 * @param name    without Docker's leading slash
 * @param status  Docker's word for its state ({@code running}, {@code exited}, ...), also its badge's class
 * @param network the network mode ({@code default}, {@code host}, {@code none}, ...)
 * @param ports   published ports as {@code 127.0.0.1:8080 → 80/tcp}
 * @param since   how long it has been up, or since when it is stopped and with which exit code
 */
record ContainerSummary(String id, String shortId, String name, String image, String status, boolean running,
        String network, List<String> ports, String since) {
}
