package io.berth.engine.console;

/**
 * The node page's summary line.
 *
 * @param imageBytes what the images' unpacked layers take, each layer counted once however many images share it
 */
record NodeTotals(int containers, int running, int images, long imageBytes, String imageBytesText) {
}
