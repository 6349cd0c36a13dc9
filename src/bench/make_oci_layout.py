#!/usr/bin/env python3
"""Build a benchmark test image as an OCI image layout (https://github.com/opencontainers/image-spec).

    make_oci_layout.py small <dir> [--busybox /bin/busybox]
    make_oci_layout.py large <dir> [--layers 3] [--layer-kib 65536]
    make_oci_layout.py many  <dir> [--layers 50] [--layer-kib 100]

small: one gzip layer holding a static busybox (bin/busybox, bin/sh -> busybox) plus a random nonce file.
large / many: uncompressed tar layers (application/vnd.oci.image.layer.v1.tar), each holding one file of
random bytes, so no compressor time is measured and nothing dedupes or compresses.

Every call draws fresh random content (the small image gets a random nonce file), so two builds never share a
blob: a push of a new build always uploads every blob, whatever the registry already holds.

The image is tagged "latest" in index.json. On stdout the script prints one line per descriptor:
    manifest <digest> <size>
    config   <digest> <size>
    layer    <digest> <size>      (in manifest order)
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import platform
import sys
import tarfile

CHUNK = 1 << 20
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
MTIME = 1700000000


class HashingWriter:
    """A write-only stream that hashes and counts everything passing through to an underlying stream."""

    def __init__(self, out):
        self.out = out
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.out.write(data)
        self.size += len(data)
        return len(data)

    def flush(self):
        self.out.flush()

    def digest(self):
        return "sha256:" + self.sha.hexdigest()


class RandomReader:
    """read(n) returns random bytes: the content of a file for tarfile.addfile without a file on disk."""

    def read(self, n=CHUNK):
        return os.urandom(n)


class Layout:
    def __init__(self, root):
        self.root = root
        self.blobs = os.path.join(root, "blobs", "sha256")
        os.makedirs(self.blobs, exist_ok=True)
        self._tmp_seq = 0

    def _tmp_path(self):
        self._tmp_seq += 1
        return os.path.join(self.blobs, ".tmp-%d-%d" % (os.getpid(), self._tmp_seq))

    def _commit(self, tmp, digest):
        os.replace(tmp, os.path.join(self.blobs, digest.split(":", 1)[1]))

    def put_bytes(self, data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.blobs, digest.split(":", 1)[1]), "wb") as f:
            f.write(data)
        return digest, len(data)

    def put_tar_layer(self, add_members, compress):
        """Write a tar layer whose members add_members(tar) adds; return (descriptor, diff_id)."""
        tmp = self._tmp_path()
        with open(tmp, "wb") as f:
            blob = HashingWriter(f)
            gz = gzip.GzipFile(fileobj=blob, mode="wb", mtime=0, compresslevel=6) if compress else None
            tar_stream = HashingWriter(gz if gz else blob)  # hashes the uncompressed tar: the diff_id
            with tarfile.open(fileobj=tar_stream, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                add_members(tar)
            if gz:
                gz.close()
        self._commit(tmp, blob.digest())
        descriptor = {
            "mediaType": OCI_LAYER_GZIP if compress else OCI_LAYER_TAR,
            "digest": blob.digest(),
            "size": blob.size,
        }
        return descriptor, tar_stream.digest()

    def finish(self, layers, diff_ids, created_by):
        arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        config = {
            "created": "2023-11-14T22:13:20Z",
            "architecture": arch,
            "os": "linux",
            "config": {"Cmd": ["/bin/sh"], "Env": ["PATH=/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "2023-11-14T22:13:20Z", "created_by": created_by}] * len(layers),
        }
        config_bytes = json.dumps(config, separators=(",", ":")).encode()
        config_digest, config_size = self.put_bytes(config_bytes)
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": config_digest, "size": config_size},
            "layers": layers,
        }
        manifest_bytes = json.dumps(manifest, separators=(",", ":")).encode()
        manifest_digest, manifest_size = self.put_bytes(manifest_bytes)
        index = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{
                "mediaType": OCI_MANIFEST,
                "digest": manifest_digest,
                "size": manifest_size,
                "annotations": {"org.opencontainers.image.ref.name": "latest"},
            }],
        }
        with open(os.path.join(self.root, "index.json"), "w") as f:
            json.dump(index, f)
        with open(os.path.join(self.root, "oci-layout"), "w") as f:
            json.dump({"imageLayoutVersion": "1.0.0"}, f)
        print("manifest %s %d" % (manifest_digest, manifest_size))
        print("config %s %d" % (config_digest, config_size))
        for layer in layers:
            print("layer %s %d" % (layer["digest"], layer["size"]))


def tarinfo(name, size=0, mode=0o644, kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.type = kind
    info.linkname = linkname
    info.mtime = MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_small(layout, busybox):
    nonce = os.urandom(16).hex().encode() + b"\n"

    def members(tar):
        tar.addfile(tarinfo("bin", mode=0o755, kind=tarfile.DIRTYPE))
        with open(busybox, "rb") as f:
            tar.addfile(tarinfo("bin/busybox", size=os.fstat(f.fileno()).st_size, mode=0o755), f)
        tar.addfile(tarinfo("bin/sh", kind=tarfile.SYMTYPE, linkname="busybox", mode=0o777))
        tar.addfile(tarinfo("etc", mode=0o755, kind=tarfile.DIRTYPE))
        tar.addfile(tarinfo("etc/bench-nonce", size=len(nonce)), io.BytesIO(nonce))

    layer, diff_id = layout.put_tar_layer(members, compress=True)
    layout.finish([layer], [diff_id], "busybox " + busybox)


def build_random(layout, count, layer_bytes, what):
    layers, diff_ids = [], []
    for i in range(count):
        def members(tar, i=i):
            tar.addfile(tarinfo("data"+str(i), size=layer_bytes), RandomReader())

        layer, diff_id = layout.put_tar_layer(members, compress=False)
        layers.append(layer)
        diff_ids.append(diff_id)
    layout.finish(layers, diff_ids, what)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["small", "large", "many"])
    p.add_argument("dir")
    p.add_argument("--busybox", default="/bin/busybox")
    p.add_argument("--layers", type=int)
    p.add_argument("--layer-kib", type=int)
    a = p.parse_args()
    if os.path.exists(a.dir) and os.listdir(a.dir):
        sys.exit("make_oci_layout: %s exists and is not empty" % a.dir)
    layout = Layout(a.dir)
    if a.kind == "small":
        build_small(layout, a.busybox)
    elif a.kind == "large":
        n, kib = a.layers or 3, a.layer_kib or 64 * 1024
        build_random(layout, n, kib * 1024, "%d x %d KiB random" % (n, kib))
    else:
        n, kib = a.layers or 50, a.layer_kib or 100
        build_random(layout, n, kib * 1024, "%d x %d KiB random" % (n, kib))


if __name__ == "__main__":
    main()
