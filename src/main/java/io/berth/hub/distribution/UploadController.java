package io.berth.hub.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.berth.common.Digest;
import io.berth.common.InvalidDigestException;
import io.berth.hub.access.RegistryRequests;
import io.berth.hub.access.token.VerifiedToken;

/** {@code /v2/<name>/blobs/uploads/}: starting, feeding, inspecting, finishing and cancelling blob uploads. */
@RestController
class UploadController {

    static final String UPLOAD_UUID_HEADER = "Docker-Upload-UUID";

    private final UploadService uploads;
    private final BlobService blobs;
    private final RegistryCallers callers;

    UploadController(UploadService uploads, BlobService blobs, RegistryCallers callers) {
        this.uploads = uploads;
        this.blobs = blobs;
        this.callers = callers;
    }

    static String uploadLocation(RepositoryName name, String uploadId) {
        return "/v2/" + name + "/blobs/uploads/" + uploadId;
    }

    static String blobLocation(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    @PostMapping("/v2/{name}/blobs/uploads/")
    ResponseEntity<Void> start(@PathVariable String name, @RequestParam(required = false) String mount,
            @RequestParam(required = false) String from, @RequestParam(required = false) String digest,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength, InputStream body,
            HttpServletRequest request) throws IOException {
        RepositoryName repository = new RepositoryName(name);
        VerifiedToken token = RegistryRequests.token(request);
        // Pushing needs an account, so the token names one; the upload caps count per account.
        String account = token.anonymous() ? null : token.subject();
        if (mount != null) {
            Digest mounted = mountable(mount);
            RepositoryName source = from != null && RepositoryName.isValid(from) ? new RepositoryName(from) : null;
            // A named source must be in the token, as the protocol has clients ask; an unnamed one is any repository
            // the pusher may read.
            Predicate<String> readable = source != null
                    ? candidate -> token.permits("repository", candidate, "pull")
                    : callers.readableBy(token);
            if (mounted != null && blobs.mount(repository, mounted, source, readable)) {
                return created(repository, mounted);
            }
        } else if (digest != null) {
            return created(repository, uploads.monolithic(repository, account, digest, contentLength, body));
        }
        return accepted(repository, uploads.start(repository, account));
    }

    @GetMapping("/v2/{name}/blobs/uploads/{uploadId}")
    ResponseEntity<Void> status(@PathVariable String name, @PathVariable String uploadId) throws IOException {
        RepositoryName repository = new RepositoryName(name);
        UploadStatus status = uploads.status(repository, uploadId);
        return ResponseEntity.noContent().headers(uploadHeaders(repository, status)).build();
    }

    @PatchMapping("/v2/{name}/blobs/uploads/{uploadId}")
    ResponseEntity<Void> patch(@PathVariable String name, @PathVariable String uploadId,
            @RequestHeader(value = HttpHeaders.CONTENT_RANGE, required = false) String contentRange,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength, InputStream body)
            throws IOException {
        RepositoryName repository = new RepositoryName(name);
        return accepted(repository, uploads.append(repository, uploadId, contentRange, contentLength, body));
    }

    @PutMapping("/v2/{name}/blobs/uploads/{uploadId}")
    ResponseEntity<Void> complete(@PathVariable String name, @PathVariable String uploadId,
            @RequestParam(required = false) String digest,
            @RequestHeader(value = HttpHeaders.CONTENT_RANGE, required = false) String contentRange,
            @RequestHeader(value = HttpHeaders.CONTENT_LENGTH, required = false) Long contentLength, InputStream body)
            throws IOException {
        RepositoryName repository = new RepositoryName(name);
        UploadService.parseDigestParameter(digest);
        if (contentRange != null && !contentRange.isBlank()) {
            // The last chunk travels with the PUT: it must fit where the upload stands, like any chunk.
            uploads.append(repository, uploadId, contentRange, contentLength, body);
            return created(repository, uploads.complete(repository, uploadId, digest, 0L, InputStream.nullInputStream()));
        }
        return created(repository, uploads.complete(repository, uploadId, digest, contentLength, body));
    }

    @DeleteMapping("/v2/{name}/blobs/uploads/{uploadId}")
    ResponseEntity<Void> cancel(@PathVariable String name, @PathVariable String uploadId) throws IOException {
        uploads.cancel(new RepositoryName(name), uploadId);
        return ResponseEntity.noContent().build();
    }

    private static Digest mountable(String mount) {
        try {
            return Digest.parse(mount);
        } catch (InvalidDigestException e) {
            return null; // nothing to mount: start an upload, as for any blob the registry lacks
        }
    }

    private static ResponseEntity<Void> created(RepositoryName repository, Digest digest) {
        return ResponseEntity.status(201)
                .header(HttpHeaders.LOCATION, blobLocation(repository, digest))
                .header("Docker-Content-Digest", digest.toString())
                .header(HttpHeaders.CONTENT_LENGTH, "0")
                .build();
    }

    private static ResponseEntity<Void> accepted(RepositoryName repository, UploadStatus status) {
        return ResponseEntity.accepted().headers(uploadHeaders(repository, status))
                .header(HttpHeaders.CONTENT_LENGTH, "0").build();
    }

    /** Where an upload stands: its Location, the bytes received and its id. */
    static HttpHeaders uploadHeaders(RepositoryName repository, UploadStatus status) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.LOCATION, uploadLocation(repository, status.uploadId()));
        headers.set(HttpHeaders.RANGE, status.range());
        headers.set(UPLOAD_UUID_HEADER, status.uploadId());
        return headers;
    }
}
