package io.berth.hub.distribution;

import java.util.List;

import io.berth.common.oci.MediaTypes;

/**
 * Whether a client's {@code Accept} header lets the registry serve a manifest of a given type. The registry keeps
 * one representation of each manifest (the bytes pushed, which a digest names), so negotiation only decides
 * between serving it and answering that it is not available in a type the client reads.
 */
final class AcceptHeader {

    private AcceptHeader() {
    }

    static boolean allows(List<String> acceptHeaders, String mediaType) {
        if (acceptHeaders == null || acceptHeaders.isEmpty()) {
            return true;
        }
        String stored = MediaTypes.withoutParameters(mediaType); // media types compare case-insensitively (RFC 6838)
        boolean listsManifestTypes = false;
        for (String header : acceptHeaders) {
            for (String entry : header.split(",")) {
                String type = MediaTypes.withoutParameters(entry);
                if (type.isEmpty()) {
                    continue;
                }
                if (type.equals(stored) || type.equals("*/*") || type.equals("application/*")) {
                    return true;
                }
                if (type.startsWith("application/vnd.oci.") || type.startsWith("application/vnd.docker.")) {
                    listsManifestTypes = true;
                }
            }
        }
        // A client that names manifest types reads only those; one that names none (application/json, say) gets
        // what there is, as before media types were negotiated.
        return !listsManifestTypes;
    }
}
