#!/usr/bin/env bash
# Berth deploying Berth, end to end, with no Dockerfile and no Docker daemon:
#   1. starts Berth (Hub + Engine) from target/berth.jar in a temporary directory, with its own ports and socket;
#   2. makes the Java base image with that Berth (base-image/make-base-image.sh: jlink, docker import, docker push);
#   3. builds Berth's own image with Jib (mvn -Pself-image jib:build) FROM that base in the Hub, TO the Hub;
#   4. pulls it with Berth's Engine and runs it (host network, other ports, Engine off, data in its volume);
#   5. waits until the Berth in the container answers /v2/ (401 with a Bearer challenge: the registry is up);
# prints the time of each step, the start-up time and memory of the Berth in the container and the image sizes, and
# tears everything down on exit. Any failing step stops it; the closing report cannot fail it.
# Run as root (the Engine needs it), after `mvn -o -q -DskipTests package`. See README.md next to this script.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR:-$REPO/target/berth.jar}
HUB_PORT=${HUB_PORT:-15200}
HUB_MGMT_PORT=${HUB_MGMT_PORT:-15201}
SELF_PORT=${SELF_PORT:-15202}
SELF_MGMT_PORT=${SELF_MGMT_PORT:-15203}
READY_TIMEOUT=${READY_TIMEOUT:-180}
IDLE_SECONDS=${IDLE_SECONDS:-30}   # how long the Berth in the container idles before its memory is read again
MVN_FLAGS=${MVN_FLAGS:--q}   # not -o: Jib refuses to push in Maven's offline mode
BERTH_JAVA_OPTS=${BERTH_JAVA_OPTS:--Xms256m -Xmx1g}
ADMIN_PASSWORD=self-deploy-$RANDOM$RANDOM$RANDOM

say() { echo "self-deploy: $*"; }
die() { echo "self-deploy: FAILED: $*" >&2; exit 1; }
for tool in java mvn docker curl tar ldd unzip; do command -v "$tool" >/dev/null || die "$tool is missing"; done
[ "$(id -u)" = 0 ] || die "run as root: Berth's Engine needs it"
[ -f "$JAR" ] || die "no $JAR (mvn -o -q -DskipTests package)"

WORK=$(mktemp -d /tmp/bself.XXXXXX)   # short: unix socket paths are limited to 107 bytes
SOCK=$WORK/engine.sock
HUB=127.0.0.1:$HUB_PORT
BASE=$HUB/admin/berth-java:17
IMAGE=$HUB/admin/berth:self
BERTH_PID=
export DOCKER_CONFIG=$WORK/docker-config   # none of the machine's contexts, hosts or credentials; Jib reads it too
unset DOCKER_HOST DOCKER_CONTEXT
berth() { docker -H "unix://$SOCK" "$@"; }

cleanup() {
    local status=$?
    set +e
    if [ $status != 0 ] && [ -S "$SOCK" ]; then
        for id in $(berth ps -aq 2>/dev/null); do
            echo "--- logs of container $id:" >&2; berth logs --tail 40 "$id" >&2
        done
    fi
    if [ -S "$SOCK" ]; then
        ids=$(berth ps -aq 2>/dev/null)
        # shellcheck disable=SC2086
        [ -z "$ids" ] || berth rm -f $ids >/dev/null 2>&1
    fi
    if [ -n "$BERTH_PID" ] && kill -0 "$BERTH_PID" 2>/dev/null; then
        [ $status = 0 ] || { echo "--- end of the Hub's log:" >&2; tail -n 30 "$WORK/berth.log" >&2; }
        kill "$BERTH_PID"
        for _ in $(seq 150); do kill -0 "$BERTH_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$BERTH_PID" 2>/dev/null
    fi
    # whatever is still mounted under the work dir (container root file systems)
    grep -o " $WORK/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
    [ $status = 0 ] && say "torn down" || echo "self-deploy: FAILED (exit $status), torn down" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s%N; }
START=$(now)
STEP_START=
declare -a TIMINGS=()
step() { STEP_NAME=$1; STEP_START=$(now); say "== $1${2:+: $2}"; }
done_step() { local ms=$((($(now) - STEP_START) / 1000000)); TIMINGS+=("$(printf '%-48s %8d ms' "$STEP_NAME" "$ms")"); }
await() { # await <what> <command...>: polls until the command succeeds
    local what=$1; shift
    for _ in $(seq $((READY_TIMEOUT * 5))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    die "$what not ready within ${READY_TIMEOUT}s"
}
v2_challenges() { # the port answers /v2/ as a registry: 401 with a Bearer challenge (or 200)
    local headers
    headers=$(curl -s -o /dev/null -D - "http://127.0.0.1:$1/v2/") || return 1
    echo "$headers" | grep -qi '^HTTP/1.1 200' && return 0
    echo "$headers" | grep -qi '^HTTP/1.1 401' && echo "$headers" | grep -qi '^www-authenticate: Bearer realm='
}

step "start Berth (Hub + Engine)" "Hub on :$HUB_PORT, Engine on $SOCK"
# shellcheck disable=SC2086
java $BERTH_JAVA_OPTS -jar "$JAR" --server.port="$HUB_PORT" --management.server.port="$HUB_MGMT_PORT" \
    --berth.data-dir="$WORK/berth" --berth.engine.socket="$SOCK" \
    --berth.hub.initial-admin-password="$ADMIN_PASSWORD" >"$WORK/berth.log" 2>&1 &
BERTH_PID=$!
await "the Engine" berth version
await "the Hub" v2_challenges "$HUB_PORT"
# (the CLI warns that the credentials are stored unencrypted: in this temporary directory, on purpose)
echo "$ADMIN_PASSWORD" | berth login -u admin --password-stdin "$HUB" >/dev/null 2>"$WORK/login.err" \
    || { cat "$WORK/login.err" >&2; die "docker login to the Hub"; }
done_step

step "base image (jlink, docker import, push)" "$BASE"
"$REPO/Dockerfile-free-deploy/base-image/make-base-image.sh" "$SOCK" "$BASE"
done_step

step "Berth's image (mvn -Pself-image jib:build)" "FROM $BASE TO $IMAGE"
# Jib reads the credentials the docker login above stored in $DOCKER_CONFIG/config.json. It sends them over plain
# HTTP only when told to: fine for this Hub on loopback, not for one across a network (put TLS in front of that).
# shellcheck disable=SC2086
(cd "$REPO" && mvn $MVN_FLAGS -Pself-image -DskipTests compile jib:build \
    -Dberth.image.base="$BASE" -Dberth.image.target="$IMAGE" -DsendCredentialsOverHttp=true)
done_step

step "docker pull (Berth's Engine)" "$IMAGE"
berth pull "$IMAGE" | tail -2
berth run --rm --entrypoint /bin/sh "$IMAGE" -c true 2>/dev/null && die "the image has a shell; it should not"
# Jib copies target/classes as it is: the Engine's native helper, a classpath resource of Berth, is in the image.
berth create --name berth-files "$IMAGE" >/dev/null
berth cp berth-files:/app/resources/io/berth/engine/runtime/berthinit/berth-init "$WORK/berth-init.from-image"
berth rm berth-files >/dev/null
[ "$(head -c 4 "$WORK/berth-init.from-image" | od -An -c | tr -d ' ')" = '177ELF' ] || die "berth-init is not in the image"
cmp -s "$WORK/berth-init.from-image" "$REPO/target/classes/io/berth/engine/runtime/berthinit/berth-init" \
    || die "the image's berth-init differs from target/classes"
say "berth-init is in the image: /app/resources/io/berth/engine/runtime/berthinit/berth-init ($(stat -c %s "$WORK/berth-init.from-image") bytes)"
done_step

step "docker run -d --network host" "Hub on :$SELF_PORT, Actuator on :$SELF_MGMT_PORT, Engine off"
SELF_STARTED=$(now)
berth run -d --name berth-self --network host "$IMAGE" --server.port="$SELF_PORT" \
    --management.server.port="$SELF_MGMT_PORT" --berth.engine.enabled=false >/dev/null
done_step

step "until /v2/ answers in the container" ":$SELF_PORT"
for _ in $(seq $((READY_TIMEOUT * 5))); do
    v2_challenges "$SELF_PORT" && break
    [ "$(berth inspect --format '{{.State.Running}}' berth-self)" = true ] || die "the container stopped"
    sleep 0.2
done
v2_challenges "$SELF_PORT" || die "no answer on :$SELF_PORT within ${READY_TIMEOUT}s"
SELF_START_MS=$((($(now) - SELF_STARTED) / 1000000))
done_step

# The figures of the Berth in the container, as an operator meets them: start-up time (docker run until /v2/
# answers) and memory (RSS and PSS of its JVM, PID 1 of the container, read from the host's /proc).
SELF_PID=$(berth inspect --format '{{.State.Pid}}' berth-self)
memory_of() { # memory_of <pid>: "RSS <n> MiB, PSS <n> MiB, <n> threads"
    awk '/^Rss:/ {rss=$2} /^Pss:/ {pss=$2} END {printf "RSS %d MiB, PSS %d MiB", rss / 1024, pss / 1024}' \
        "/proc/$1/smaps_rollup"
    awk '/^Threads:/ {printf ", %d threads\n", $2}' "/proc/$1/status"
}
SELF_READY=$(memory_of "$SELF_PID")
sleep "$IDLE_SECONDS"
SELF_IDLE=$(memory_of "$SELF_PID")
HOST_IDLE=$(memory_of "$BERTH_PID")

# What follows only reports: nothing in it can fail the deployment (no pipe can end in SIGPIPE, no exit status
# counts), so the script's outcome is the outcome of the steps above.
report() {
    set +e +o pipefail
    say "== what answers"
    curl -s -D - -o /dev/null "http://127.0.0.1:$SELF_PORT/v2/" | grep -iE '^(HTTP|www-authenticate|docker-distribution)' \
        | tr -d '\r' | sed 's/^/    /'
    curl -s "http://127.0.0.1:$SELF_MGMT_PORT/actuator/health" | cut -c1-200 | sed -n '1s/^/    health: /p'
    berth ps --format '{{.Names}} {{.Image}} {{.Status}}' | sed 's/^/    /'
    berth exec berth-self /opt/java/bin/java -version 2>&1 | sed -n '1s/^/    in the container: /p'
    berth top berth-self | tail -n +2 | cut -c1-160 | sed 's/^/    /'

    say "== figures"
    for line in "${TIMINGS[@]}"; do echo "    $line"; done
    printf '    %-48s %8d ms\n' "total" $((($(now) - START) / 1000000))
    printf '    %-48s %8d ms\n' "Berth in the container: docker run until /v2/" "$SELF_START_MS"
    printf '    %-48s %s\n' "Berth in the container: memory when ready" "$SELF_READY"
    printf '    %-48s %s\n' "Berth in the container: memory ${IDLE_SECONDS} s later" "$SELF_IDLE"
    printf '    %-48s %s\n' "the Berth this script started, memory now" "$HOST_IDLE"
    for image in "$BASE" "$IMAGE"; do
        size=$(berth image inspect --format '{{.Size}}' "$image")
        layers=$(berth image inspect --format '{{len .RootFS.Layers}}' "$image")
        printf '    %-48s %5d MiB unpacked, %d layers\n' "$image" $((size / 1024 / 1024)) "$layers"
    done
    return 0
}
report || true
say "OK: Berth's Jib image, pushed to Berth, pulled and run by Berth's Engine, answers /v2/ on :$SELF_PORT"
