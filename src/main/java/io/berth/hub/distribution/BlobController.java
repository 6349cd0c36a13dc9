package io.berth.hub.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import io.berth.common.Digest;
import io.berth.hub.HubProperties;
import io.berth.hub.audit.AuditAction;
import io.berth.hub.storage.BlobContent;

/** {@code /v2/<name>/blobs/<digest>}: blob reads (with ranges) and deletes. */
@RestController
class BlobController {

    /** Below this, a plain copy is cheaper than handing the file to the connector for sendfile. */
    private static final long SENDFILE_THRESHOLD = 48 * 1024;
    private static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    private final BlobService blobs;
    private final RegistryAudit audit;
    private final RegistryMetrics metrics;
    private final boolean deleteEnabled;

    BlobController(BlobService blobs, RegistryMetrics metrics, HubProperties properties, RegistryAudit audit) {
        this.audit = audit;
        this.blobs = blobs;
        this.metrics = metrics;
        this.deleteEnabled = properties.deleteEnabled();
    }

    @RequestMapping(path = "/v2/{name}/blobs/{digest}", method = {RequestMethod.GET, RequestMethod.HEAD})
    void get(@PathVariable String name, @PathVariable String digest, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        Digest parsed = Digest.parse(digest);
        BlobContent blob = blobs.find(new RepositoryName(name), parsed)
                .orElseThrow(() -> new RegistryException(RegistryError.BLOB_UNKNOWN, RegistryError.BLOB_UNKNOWN.message(),
                        parsed.toString()));
        String etag = "\"" + parsed + "\"";
        response.setHeader("Docker-Content-Digest", parsed.toString());
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "max-age=31536000");
        if (etag.equals(request.getHeader(HttpHeaders.IF_NONE_MATCH))) {
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            return;
        }
        ByteRange range;
        try {
            range = ByteRange.of(request.getHeader(HttpHeaders.RANGE), blob.size());
        } catch (ByteRange.NotSatisfiable e) {
            throw new BlobRangeNotSatisfiable(e.getMessage(), blob.size());
        }
        response.setStatus(range.partial() ? HttpStatus.PARTIAL_CONTENT.value() : HttpStatus.OK.value());
        if (range.partial()) {
            response.setHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(blob.size()));
        }
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(range.length());
        if (request.getMethod().equals("HEAD")) {
            return;
        }
        send(blob, range, request, response);
        metrics.bytesSent(range.length());
    }

    /** Zero-copy through the connector's sendfile when the blob is a local file; a streamed copy otherwise. */
    private static void send(BlobContent blob, ByteRange range, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<Path> file = blob.localFile();
        if (file.isPresent() && range.length() >= SENDFILE_THRESHOLD
                && Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
            request.setAttribute(SENDFILE_FILENAME, file.get().toString());
            request.setAttribute(SENDFILE_START, range.start());
            request.setAttribute(SENDFILE_END, range.start() + range.length());
            return;
        }
        try (InputStream in = blob.open(range.start())) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long remaining = range.length();
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("blob " + blob.digest() + " ended early");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }

    @DeleteMapping("/v2/{name}/blobs/{digest}")
    ResponseEntity<Void> delete(@PathVariable String name, @PathVariable String digest, HttpServletRequest request) {
        if (!deleteEnabled) {
            throw new RegistryException(RegistryError.UNSUPPORTED, "deletes are disabled on this registry", null);
        }
        RepositoryName repository = new RepositoryName(name);
        Digest blob = Digest.parse(digest);
        blobs.delete(repository, blob);
        audit.record(request, AuditAction.DELETE, repository + "@" + blob);
        return ResponseEntity.accepted().header(HttpHeaders.CONTENT_LENGTH, "0").build();
    }
}
