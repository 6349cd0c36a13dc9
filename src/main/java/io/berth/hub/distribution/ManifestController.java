package io.berth.hub.distribution;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.berth.common.Digest;
import io.berth.common.error.ErrorKind;
import io.berth.hub.HubProperties;
import io.berth.hub.audit.AuditAction;

/** {@code /v2/<name>/manifests/<reference>}: manifests by tag or digest. */
@RestController
class ManifestController {

    private final ManifestService manifests;
    private final long maxSize;
    private final boolean deleteEnabled;
    private final RegistryAudit audit;

    ManifestController(ManifestService manifests, HubProperties properties, RegistryAudit audit) {
        this.manifests = manifests;
        this.audit = audit;
        this.maxSize = properties.manifestMaxSize().toBytes();
        this.deleteEnabled = properties.deleteEnabled();
    }

    @RequestMapping(path = "/v2/{name}/manifests/{reference}", method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> get(@PathVariable String name, @PathVariable String reference, HttpMethod method,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) List<String> accept,
            @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        StoredManifest manifest = manifests.get(new RepositoryName(name), reference)
                .orElseThrow(() -> unknown(name, reference));
        if (!AcceptHeader.allows(accept, manifest.mediaType())) {
            throw new RegistryException(RegistryError.MANIFEST_UNKNOWN, "the manifest is " + manifest.mediaType()
                    + ", which the Accept header does not allow", Map.of("mediaType", manifest.mediaType()));
        }
        String etag = "\"" + manifest.digest() + "\"";
        if (etag.equals(ifNoneMatch)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        if (method == HttpMethod.GET) {
            manifests.recordPull(new RepositoryName(name));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(manifest.mediaType()))
                .contentLength(manifest.content().length)
                .header("Docker-Content-Digest", manifest.digest().toString())
                .eTag(etag)
                .body(manifest.content());
    }

    @PutMapping("/v2/{name}/manifests/{reference}")
    ResponseEntity<Void> put(@PathVariable String name, @PathVariable String reference,
            @RequestParam(name = "tag", required = false) List<String> tags,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength, InputStream body,
            HttpServletRequest request) throws IOException {
        RepositoryName repository = new RepositoryName(name);
        byte[] content = readLimited(body, contentLength);
        ManifestService.PushResult result = manifests.put(repository, reference, tags == null ? List.of() : tags,
                contentType, content);
        audit.record(request, AuditAction.PUSH, Digest.looksLikeDigest(reference)
                ? repository + "@" + result.digest()
                : repository + ":" + reference + "@" + result.digest());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                .header(HttpHeaders.LOCATION, "/v2/" + repository + "/manifests/" + result.digest())
                .header("Docker-Content-Digest", result.digest().toString())
                .header(HttpHeaders.CONTENT_LENGTH, "0");
        result.subject().ifPresent(subject -> response.header("OCI-Subject", subject.toString()));
        if (Digest.looksLikeDigest(reference)) {
            result.tags().forEach(tag -> response.header("OCI-Tag", tag));
        }
        return response.build();
    }

    @DeleteMapping("/v2/{name}/manifests/{reference}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String reference, HttpServletRequest request) {
        if (!deleteEnabled) {
            throw new RegistryException(RegistryError.UNSUPPORTED, "deletes are disabled on this registry", null);
        }
        RepositoryName repository = new RepositoryName(name);
        if (!manifests.delete(repository, reference)) {
            throw unknown(name, reference);
        }
        audit.record(request, AuditAction.DELETE, repository + (Digest.looksLikeDigest(reference) ? "@" : ":") + reference);
        return ResponseEntity.accepted().header(HttpHeaders.CONTENT_LENGTH, "0").build();
    }

    private byte[] readLimited(InputStream body, Long contentLength) throws IOException {
        if (contentLength != null && contentLength > maxSize) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(contentLength == null ? 8192 : contentLength.intValue());
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = body.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > maxSize) {
                throw tooLarge();
            }
        }
        return out.toByteArray();
    }

    private RegistryException tooLarge() {
        return new RegistryException(RegistryError.MANIFEST_INVALID, ErrorKind.TOO_LARGE,
                "manifest exceeds the limit of " + maxSize + " bytes", Map.of("limit", maxSize));
    }

    private static RegistryException unknown(String name, String reference) {
        Object detail = Digest.looksLikeDigest(reference)
                ? Map.of("Name", name, "Revision", reference)
                : Map.of("Tag", reference);
        return new RegistryException(RegistryError.MANIFEST_UNKNOWN, RegistryError.MANIFEST_UNKNOWN.message(), detail);
    }
}
