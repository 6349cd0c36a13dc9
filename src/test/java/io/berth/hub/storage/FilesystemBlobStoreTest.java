package io.berth.hub.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.berth.common.Digest;

class FilesystemBlobStoreTest {

    @TempDir
    Path dataDir;

    private FilesystemBlobStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new FilesystemBlobStore(dataDir);
    }

    @Test
    void uploadsAppendTruncateAndCommitUnderTheDigest() throws IOException {
        String id = UUID.randomUUID().toString();
        store.createUpload(id);
        assertThat(store.appendToUpload(id, stream("hello "))).isEqualTo(6);
        assertThat(store.appendToUpload(id, stream("world, and more"))).isEqualTo(15);
        store.truncateUpload(id, 11);
        assertThat(store.uploadSize(id)).hasValue(11L);

        Digest digest = Digest.sha256(bytes("hello world"));
        store.commitUpload(id, digest);

        assertThat(store.uploadSize(id)).isEmpty();
        assertThat(dataDir.resolve("uploads").resolve(id)).doesNotExist();
        BlobContent blob = store.find(digest).orElseThrow();
        assertThat(blob.size()).isEqualTo(11);
        assertThat(blob.localFile()).hasValue(dataDir.resolve("blobs/sha256/b9").resolve(digest.hex()));
        try (InputStream in = blob.open(6)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("world");
        }
    }

    @Test
    void committingABlobThatExistsKeepsTheStoredBytes() throws IOException {
        Digest digest = Digest.sha256(bytes("same"));
        for (int i = 0; i < 2; i++) {
            String id = UUID.randomUUID().toString();
            store.createUpload(id);
            store.appendToUpload(id, stream("same"));
            store.commitUpload(id, digest);
            assertThat(dataDir.resolve("uploads").resolve(id)).doesNotExist();
        }
        assertThat(Files.readString(store.blobPath(digest))).isEqualTo("same");
        List<BlobStore.StoredBlob> listed = new ArrayList<>();
        store.forEachBlob(listed::add);
        assertThat(listed).extracting(BlobStore.StoredBlob::digest).containsExactly(digest);
    }

    @Test
    void listingSkipsFilesThatAreNotBlobs() throws IOException {
        Files.createDirectories(dataDir.resolve("blobs/sha256/ab"));
        Files.writeString(dataDir.resolve("blobs/sha256/ab/notes.txt~"), "editor backup");
        List<BlobStore.StoredBlob> listed = new ArrayList<>();
        store.forEachBlob(listed::add);
        assertThat(listed).isEmpty();
    }

    @Test
    void uploadIdsCannotNameAPathOutsideTheUploadArea() {
        for (String id : new String[] {"../blobs", "..", "a/b", UUID.randomUUID().toString().toUpperCase()}) {
            assertThatThrownBy(() -> store.createUpload(id)).as(id).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(bytes(s));
    }
}
