#!/usr/bin/env bash
# Makes Berth's Java base image with Berth itself: a jlink'ed Java runtime with only the modules Berth uses, the
# shared libraries that runtime (and the native libraries inside Berth's jars) link against, a minimal /etc, imported
# into a Berth Engine (`docker import`, no Dockerfile, no dockerd) and pushed to a Berth Hub. See ../README.md.
#
#   make-base-image.sh <engine socket> <image>       e.g. /run/berth/engine.sock localhost:5000/admin/berth-java:17
#
# Environment: JAR (default target/berth.jar), JDK (default /usr/lib/jvm/java-17-openjdk-amd64, must have jmods/:
# Debian's openjdk-17-jdk-headless), JDEPS=1 (find the modules with jdeps again instead of reading modules.txt, and
# say how they differ), DOCKER_CONFIG (where `docker login` to the Hub was done; the push needs it), KEEP_TMP=1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SOCKET=${1:?usage: make-base-image.sh <engine socket> <image>}
IMAGE=${2:?usage: make-base-image.sh <engine socket> <image>}
JAR=${JAR:-$REPO/target/berth.jar}
JDK=${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
LISTED=$(grep -v '^#' "$(dirname "$0")/modules.txt" | paste -sd,)
# Found by jdeps never (services and reflection), kept whatever it says: see modules.txt.
EXTRA_MODULES=jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.charsets,jdk.unsupported

say() { echo "base-image: $*"; }
die() { echo "base-image: $*" >&2; exit 1; }
for tool in docker tar ldd unzip find; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[ -x "$JDK/bin/jlink" ] || die "no jlink in $JDK"
[ -d "$JDK/jmods" ] || die "no $JDK/jmods: jlink needs the JDK's jmods (Debian: apt-get install openjdk-17-jdk-headless)"
[ -f "$JAR" ] || die "no $JAR (mvn -o -q -DskipTests package)"
[ -S "$SOCKET" ] || die "no engine socket at $SOCKET"

WORK=$(mktemp -d /tmp/berth-base.XXXXXX)
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
ROOT=$WORK/rootfs
now() { date +%s%N; }
ms() { echo $((($(now) - $1) / 1000000)); }

# 1. The modules: modules.txt, or (JDEPS=1) jdeps over Berth's classes and every library in the jar, read as plain
#    classes on one path (some libraries are modular jars whose declared requirements are absent, which stops jdeps
#    when it reads them as modules).
t=$(now)
mkdir -p "$WORK/jar" "$WORK/classes"
unzip -q "$JAR" -d "$WORK/jar"
sorted() { tr ',' '\n' | sort -u | paste -sd,; }
MODULES=$(echo "$LISTED" | sorted)
if [ "${JDEPS:-0}" = 1 ]; then
    for lib in "$WORK"/jar/BOOT-INF/lib/*.jar; do
        unzip -qo "$lib" '*.class' -x '*module-info.class' 'META-INF/versions/*' -d "$WORK/classes" 2>/dev/null || true
    done
    cp -r "$WORK/jar/BOOT-INF/classes/." "$WORK/classes/"
    FOUND=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps -q "$WORK/classes")
    [ -n "$FOUND" ] || die "jdeps found no modules"
    FOUND=$(echo "$FOUND,$EXTRA_MODULES" | sorted)
    if [ "$FOUND" = "$MODULES" ]; then say "jdeps agrees with modules.txt"; else
        say "jdeps differs from modules.txt (update it): $(diff <(echo "$MODULES" | tr , '\n') \
            <(echo "$FOUND" | tr , '\n') | grep '^[<>]' | tr '\n' ' ')"
        MODULES=$FOUND
    fi
fi
say "modules: $MODULES ($(ms "$t") ms)"

# 2. The runtime. No --compress: the layer is gzipped anyway, and uncompressed modules start faster.
t=$(now)
mkdir -p "$ROOT/opt"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$ROOT/opt/java"
# Debian's JDK keeps its CA certificates outside the jmods; an HTTPS pull from inside the container needs them.
if [ -f /etc/ssl/certs/java/cacerts ]; then cp -L /etc/ssl/certs/java/cacerts "$ROOT/opt/java/lib/security/cacerts"; fi
"$ROOT/opt/java/bin/java" -version 2>&1 | head -1 | sed 's/^/base-image: runtime: /'
say "jlink: $(du -sh "$ROOT/opt/java" | cut -f1) ($(ms "$t") ms)"

# 3. Exactly the shared libraries the runtime links against, and those of the native libraries inside Berth's jars
#    (jnr's jffi, zstd-jni) that they extract at run time, with the dynamic loader. java.desktop is there for
#    java.beans only (Spring needs it): its graphics and sound libraries would pull in X11, fonts and ALSA, and a
#    headless server never loads them, so they go.
t=$(now)
for gui in libawt_xawt libawt_headless libawt libjawt libfontmanager libjsound libsplashscreen liblcms libjavajpeg \
        libmlib_image; do
    rm -f "$ROOT/opt/java/lib/$gui.so"
done
mkdir -p "$WORK/native"
for lib in "$WORK"/jar/BOOT-INF/lib/*.jar; do
    [ -f "$lib" ] || continue
    unzip -qo "$lib" '*linux*amd64*.so' '*linux*x86_64*.so' '*Linux*x86_64*.so' '*x86_64-Linux*' -d "$WORK/native" \
        2>/dev/null || true
done
libraries() { # what the ELF files under the runtime and the extracted native libraries need from the system
    find "$ROOT/opt/java" "$WORK/native" -type f \( -name '*.so' -o -name '*.so.*' -o -path '*/bin/*' \) \
        -exec ldd {} \; 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\/[^ ]+ \(0x/ { print $1 }' \
        | grep -v "^$WORK/" | sort -u
}
LIBS=$(libraries)
for lib in $LIBS; do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
done
say "libraries: $(echo "$LIBS" | xargs -n1 basename | tr '\n' ' ')($(ms "$t") ms)"

# 4. A minimal /etc, /tmp and a user to run as, and the data directory Berth's image declares as a volume.
mkdir -p "$ROOT/etc" "$ROOT/tmp" "$ROOT/var/lib/berth" "$ROOT/etc/berth"
chmod 1777 "$ROOT/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nberth:x:10000:10000:Berth:/var/lib/berth:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$ROOT/etc/passwd"
printf 'root:x:0:\nberth:x:10000:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOT/etc/nsswitch.conf"
chown 10000:10000 "$ROOT/var/lib/berth"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    mkdir -p "$ROOT/etc/ssl/certs"; cp -L /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/"
fi

# 5. Into the Engine as an image, then to the Hub.
t=$(now)
ID=$(tar --numeric-owner -C "$ROOT" -c . | docker -H "unix://$SOCKET" import \
    --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["java", "-version"]' \
    --change 'LABEL org.opencontainers.image.description="jlink Java runtime for Berth"' \
    --message "jlink $("$JDK/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2): $MODULES" - "$IMAGE")
say "imported $IMAGE as $ID ($(ms "$t") ms)"
# The check that counts: Berth's Engine runs the image (java -version, its CMD) in a real container.
t=$(now)
VERSION=$(docker -H "unix://$SOCKET" run --rm --network none "$IMAGE" 2>&1) \
    || die "the base image does not run java -version: $VERSION"
say "runs: $(echo "$VERSION" | tail -1) ($(ms "$t") ms)"
t=$(now)
docker -H "unix://$SOCKET" push "$IMAGE" | tail -1 | sed 's/^/base-image: /'
SIZE=$(docker -H "unix://$SOCKET" image inspect --format '{{.Size}}' "$IMAGE")
say "pushed $IMAGE ($(ms "$t") ms); image size $((SIZE / 1024 / 1024)) MiB unpacked"
