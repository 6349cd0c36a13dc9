#!/usr/bin/env bash
# Berth's start-up time and memory, as an operator meets them, next to CNCF Distribution (docker-registry):
#   - time from process start until /v2/ answers (401 with a Bearer challenge; Distribution: 200), until the
#     Engine socket answers GET /_ping, and until /actuator/health/readiness answers 200;
#   - RSS and PSS (/proc/<pid>/smaps_rollup), threads, 30 s after it is ready (idle) and after a small workload
#     (a skopeo push and pull of a busybox image; the Engine pulls it with the docker CLI and runs one container);
# for the Hub only (berth.engine.enabled=false), the Engine only (berth.hub.enabled=false) and both, in rounds in
# which every variant takes its turn (A, B, A, B ...), and prints the medians and every sample.
#
#   src/bench/startup-bench.sh                                        # the README's command: java -jar target/berth.jar
#   src/bench/startup-bench.sh 'before=java -jar /tmp/old.jar' 'after=target/berth-launcher'   # variants to compare
#
# A variant is <label>=<command words that start Berth>; Berth's own arguments (ports, data dir, socket) follow them.
# The command must exec the JVM (a script ends in `exec java ...`), so that the pid measured is Berth's.
# Run as root (the Engine needs it), after `mvn -o -q -DskipTests package`.
#
# Environment (defaults in brackets):
#   ROUNDS [3]             rounds; each starts every variant once per mode
#   MODES ["hub engine both"]  which roles to start
#   DISTRIBUTION [1]       also measure Distribution 2.8 (hub figures only); 0 skips it
#   IDLE_SECONDS [30]      how long after ready the idle figures are read
#   SETTLE_SECONDS [5]     how long after the workload the second figures are read
#   READY_TIMEOUT [600]    seconds a server gets to become ready
#   BASE_PORT [15400]      ports BASE_PORT..BASE_PORT+4 must be free
#   KEEP_TMP [0]           1 keeps the work dir (logs, raw samples)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-hub engine both}
DISTRIBUTION=${DISTRIBUTION:-1}
IDLE_SECONDS=${IDLE_SECONDS:-30}
SETTLE_SECONDS=${SETTLE_SECONDS:-5}
READY_TIMEOUT=${READY_TIMEOUT:-600}
BASE_PORT=${BASE_PORT:-15400}
PORT=$BASE_PORT MGMT_PORT=$((BASE_PORT + 1)) SEED_PORT=$((BASE_PORT + 2))
PASSWORD=startup-bench-$RANDOM$RANDOM

say() { echo "startup-bench: $*" >&2; }
die() { echo "startup-bench: FAILED: $*" >&2; exit 1; }

VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=("berth=java -jar $REPO/target/berth.jar")
for v in "${VARIANTS[@]}"; do [[ $v == *=* ]] || die "a variant is <label>=<command>, not: $v"; done
missing=()
for tool in java curl skopeo docker python3 awk; do command -v $tool >/dev/null || missing+=("$tool"); done
[ "$DISTRIBUTION" = 0 ] || command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v docker-registry >/dev/null || [[ $MODES != *engine* ]] || missing+=("docker-registry (the Engine-only mode pulls from it)")
[ ${#missing[@]} = 0 ] || die "missing: ${missing[*]} (apt-get install skopeo docker.io docker-registry busybox-static curl python3)"
[ "$(id -u)" = 0 ] || [[ $MODES != *engine* && $MODES != *both* ]] || die "run as root: the Engine needs it"

WORK=$(mktemp -d /tmp/bstart.XXXXXX)   # short: unix socket paths are limited to 107 bytes
SERVER_PID= SEED_PID=
export DOCKER_CONFIG=$WORK/docker-config
unset DOCKER_HOST DOCKER_CONTEXT

stop_pid() { # stop_pid <pid>: SIGTERM, then SIGKILL after 30 s
    local pid=$1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    local status=$?
    set +e
    stop_pid "$SERVER_PID"
    stop_pid "$SEED_PID"
    grep -o " $WORK/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
    [ $status = 0 ] || say "stopped (exit $status)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }
v2_up() { # the port answers /v2/ as a registry: 200, or 401 with a Bearer challenge
    local headers
    headers=$(curl -s -m 2 -o /dev/null -D - "http://127.0.0.1:$1/v2/") || return 1
    grep -qi '^HTTP/1.1 200' <<<"$headers" && return 0
    grep -qi '^HTTP/1.1 401' <<<"$headers" && grep -qi '^www-authenticate: Bearer realm=' <<<"$headers"
}
ping_up() { [ "$(curl -s -m 2 --unix-socket "$1" http://engine/_ping)" = OK ]; }
ready_up() { [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MGMT_PORT/actuator/health/readiness")" = 200 ]; }
# memory <pid>: "<rss kB> <pss kB> <threads>"
memory() {
    awk '/^Rss:/ {rss=$2} /^Pss:/ {pss=$2} END {printf "%d %d", rss, pss}' "/proc/$1/smaps_rollup"
    echo " $(awk '/^Threads:/ {print $2}' "/proc/$1/status")"
}

write_dist_config() { # write_dist_config <dir> <port>
    cat >"$1/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $1/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$2
EOF
}

# The image every workload pushes, pulls and runs: a static busybox in one gzip layer.
python3 "$HERE/make_oci_layout.py" small "$WORK/image" >/dev/null || die "building the busybox image (busybox-static)"
# The Engine-only mode pulls from a registry of its own: a Distribution holding the image, up for the whole run.
if [[ " $MODES " == *" engine "* ]]; then
    mkdir -p "$WORK/seed/data"
    write_dist_config "$WORK/seed" "$SEED_PORT"
    docker-registry serve "$WORK/seed/config.yml" >"$WORK/seed/log" 2>&1 &
    SEED_PID=$!
    for _ in $(seq 100); do v2_up "$SEED_PORT" && break; sleep 0.1; done
    skopeo copy -q --dest-tls-verify=false "oci:$WORK/image:latest" "docker://127.0.0.1:$SEED_PORT/bench/busybox:1" \
        || die "seeding the Engine's registry"
fi

# workload <mode> <socket>: push and pull with skopeo (Hub), pull and run one container with the docker CLI (Engine)
workload() {
    local mode=$1 sock=$2 n=$RANDOM registry=127.0.0.1:$PORT
    if [ "$mode" != engine ]; then
        local creds=()
        [ "$mode" = distribution ] || creds=(--dest-creds "admin:$PASSWORD")
        skopeo copy -q --dest-tls-verify=false "${creds[@]}" "oci:$WORK/image:latest" "docker://$registry/library/busybox:$n"
        rm -rf "$WORK/pulled"
        skopeo copy -q --src-tls-verify=false "docker://$registry/library/busybox:$n" "oci:$WORK/pulled:latest"
    fi
    if [ "$mode" != hub ] && [ "$mode" != distribution ]; then
        local image=$registry/library/busybox:$n
        [ "$mode" = engine ] && image=127.0.0.1:$SEED_PORT/bench/busybox:1
        docker -H "unix://$sock" pull -q "$image" >/dev/null
        [ "$(docker -H "unix://$sock" run --rm --network none "$image" /bin/busybox echo hi)" = hi ]
    fi
}

# measure <mode> <label> <command>: one start; appends "<mode> <label> <v2 ms> <ping ms> <ready ms> <rss> <pss> <threads>
#   <rss after> <pss after> <threads after>" to the samples
measure() {
    local mode=$1 label=$2 command=$3 dir=$WORK/run-$1-$RANDOM start v2=- ping=- ready=- t
    local sock=$dir/e.sock
    mkdir -p "$dir/data"
    start=$(now_ms)
    if [ "$mode" = distribution ]; then
        write_dist_config "$dir" "$PORT"
        docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
    else
        local roles=()
        [ "$mode" = hub ] && roles=(--berth.engine.enabled=false)
        [ "$mode" = engine ] && roles=(--berth.hub.enabled=false)
        # Its own socket, bridge, iptables chains and run dirs: never those of another Berth on this machine.
        # shellcheck disable=SC2086
        (cd "$dir" && exec $command --server.port="$PORT" --management.server.port="$MGMT_PORT" \
            --berth.data-dir="$dir/data" --berth.hub.initial-admin-password="$PASSWORD" \
            --berth.engine.socket="$sock" --berth.engine.network.bridge-name=bstart0 \
            --berth.engine.network.chain-prefix=BSTART --berth.engine.network.namespace-dir="$dir/netns" \
            --berth.engine.network.run-dir="$dir/netrun" "${roles[@]}") >"$dir/log" 2>&1 &
    fi
    SERVER_PID=$!
    while :; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$dir/log" >&2; die "$label ($mode) exited"; }
        t=$(($(now_ms) - start))
        [ $t -lt $((READY_TIMEOUT * 1000)) ] || { tail -n 30 "$dir/log" >&2; die "$label ($mode) not ready in ${READY_TIMEOUT}s"; }
        if [ "$v2" = - ] && [ "$mode" != engine ] && v2_up "$PORT"; then v2=$t; fi
        if [ "$ping" = - ] && [ "$mode" != hub ] && [ "$mode" != distribution ] && [ -S "$sock" ] && ping_up "$sock"; then
            ping=$t
        fi
        if [ "$ready" = - ] && [ "$mode" != distribution ] && ready_up; then ready=$(($(now_ms) - start)); fi
        case $mode in
            hub) [ "$v2" != - ] && [ "$ready" != - ] && break ;;
            engine) [ "$ping" != - ] && [ "$ready" != - ] && break ;;
            both) [ "$v2" != - ] && [ "$ping" != - ] && [ "$ready" != - ] && break ;;
            distribution) [ "$v2" != - ] && break ;;
        esac
        sleep 0.05
    done
    sleep "$IDLE_SECONDS"
    local idle after
    idle=$(memory "$SERVER_PID")
    workload "$mode" "$sock" >>"$dir/workload.log" 2>&1 || { cat "$dir/workload.log" >&2; die "$label ($mode): the workload failed"; }
    sleep "$SETTLE_SECONDS"
    after=$(memory "$SERVER_PID")
    stop_pid "$SERVER_PID"
    SERVER_PID=
    echo "$mode $label $v2 $ping $ready $idle $after" >>"$WORK/samples"
    say "$(printf '%-6s %-12s /v2/ %6s ms  /_ping %6s ms  ready %6s ms  idle %s  after workload %s (rss kB, pss kB, threads)' \
        "$mode" "$label" "$v2" "$ping" "$ready" "$idle" "$after")"
    rm -rf "$dir"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "$(nproc) CPUs, load average at start: $LOAD_START; $ROUNDS rounds of: $MODES; variants: ${VARIANTS[*]}"
: >"$WORK/samples"
for round in $(seq "$ROUNDS"); do
    for mode in $MODES; do
        # The variants take turns; which one goes first alternates from round to round.
        order=("${VARIANTS[@]}")
        if [ $((round % 2)) = 0 ]; then
            order=(); for ((i = ${#VARIANTS[@]} - 1; i >= 0; i--)); do order+=("${VARIANTS[i]}"); done
        fi
        for v in "${order[@]}"; do measure "$mode" "${v%%=*}" "${v#*=}"; done
        if [ "$mode" = hub ] && [ "$DISTRIBUTION" != 0 ]; then measure distribution distribution docker-registry; fi
    done
done

echo
echo "Start-up and memory, medians of $ROUNDS rounds ($(nproc) CPUs; load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg))"
echo "times from process start in seconds; memory in MB (1 MB = 1024 kB) idle ${IDLE_SECONDS} s after ready, and ${SETTLE_SECONDS} s after the workload"
echo
awk '
function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    if (n == 0) return "-"
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function secs(list) { return list == "" ? "-" : sprintf("%.1f", median(list) / 1000) }
function mb(list) { return sprintf("%.0f", median(list) / 1024) }
{
    key = $1 " " $2
    if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
    if ($3 != "-") v2[key] = v2[key] " " $3
    if ($4 != "-") ping[key] = ping[key] " " $4
    if ($5 != "-") ready[key] = ready[key] " " $5
    rss[key] = rss[key] " " $6; pss[key] = pss[key] " " $7; thr[key] = thr[key] " " $8
    rss2[key] = rss2[key] " " $9; pss2[key] = pss2[key] " " $10; thr2[key] = thr2[key] " " $11
}
END {
    printf "| %-6s | %-12s | %6s | %7s | %6s | %8s | %8s | %7s | %9s | %9s | %8s |\n", "role", "variant", "/v2/ s", "/_ping s", "ready s", "idle RSS", "idle PSS", "threads", "after RSS", "after PSS", "threads"
    printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---"
    for (k = 1; k <= nkeys; k++) {
        key = keys[k]; split(key, p, " ")
        printf "| %-6s | %-12s | %6s | %7s | %6s | %8s | %8s | %7s | %9s | %9s | %8s |\n", p[1], p[2], secs(v2[key]), secs(ping[key]), secs(ready[key]), mb(rss[key]), mb(pss[key]), median(thr[key]), mb(rss2[key]), mb(pss2[key]), median(thr2[key])
    }
}' "$WORK/samples"
echo
echo "samples (role variant v2_ms ping_ms ready_ms rss_kB pss_kB threads rss_after_kB pss_after_kB threads_after):"
sed 's/^/  /' "$WORK/samples"
