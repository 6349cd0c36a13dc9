package io.berth.hub.distribution;

/** Where an upload stands: its id and how many bytes the registry holds. */
record UploadStatus(String uploadId, long size) {

    /** The {@code Range} header value: the inclusive range of bytes received ({@code 0-0} when none yet). */
    String range() {
        return "0-" + Math.max(0, size - 1);
    }
}
