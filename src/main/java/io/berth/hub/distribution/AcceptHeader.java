package io.berth.hub.distribution;

import java.util.List;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.MimeTypeUtils;

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
        MediaType stored = parse(mediaType);
        boolean listsManifestTypes = false;
        for (String header : acceptHeaders) {
            for (String entry : MimeTypeUtils.tokenize(header)) {
                MediaType type = parse(entry);
                if (type == null) {
                    continue; // an entry no client means anything by; the others still count
                }
                if ((stored != null && type.equalsTypeAndSubtype(stored)) || isAnyOrAnyApplication(type)) {
                    return true;
                }
                if (type.getType().equals("application") && (type.getSubtype().startsWith("vnd.oci.")
                        || type.getSubtype().startsWith("vnd.docker."))) {
                    listsManifestTypes = true;
                }
            }
        }
        // A client that names manifest types reads only those; one that names none (application/json, say) gets
        // what there is, as before media types were negotiated.
        return !listsManifestTypes;
    }

    /** Any type or any application type, not a suffix pattern such as {@code application/*+json}. */
    private static boolean isAnyOrAnyApplication(MediaType type) {
        return type.getSubtype().equals("*") && (type.isWildcardType() || type.getType().equals("application"));
    }

    /** The media type (Spring compares types and subtypes case-insensitively, as RFC 6838 wants), or null if none. */
    private static MediaType parse(String value) {
        try {
            return value == null || value.isBlank() ? null : MediaType.parseMediaType(value);
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }
}
