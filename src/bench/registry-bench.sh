#!/usr/bin/env bash
# Berth vs CNCF Distribution (docker-registry) on this machine: push/pull times with skopeo, manifest GET/s
# with wrk, blob HEAD/s with ab, blob GET MB/s with parallel curl. Prints both figures and their ratio.
#
#   src/bench/registry-bench.sh [path/to/berth.jar]       (default: <repo>/target/berth.jar)
#
# Environment knobs (defaults in brackets):
#   RUNS [5]                   timed push/pull repetitions; the median is reported
#   ONLY [both]                berth | distribution | both
#   BERTH_PORT [15000] BERTH_MGMT_PORT [15001] DIST_PORT [15002]
#   BERTH_JAVA_OPTS [-Xms1g -Xmx1g -XX:+UseParallelGC]
#   TP_ROUNDS [3]              rounds of each request-rate figure (registries interleaved); median reported
#   DURATION [10s] WARMUP [3s] WRK_THREADS [2] WRK_CONNS [32]   manifest GET (wrk)
#   AB_CONC [32] AB_REQUESTS [20000] AB_WARMUP_REQUESTS [3000]  blob HEAD (ab)
#   GET_CLIENTS [4] GET_ROUNDS [5]                              blob GET (curl)
#   WARMUP_ROUNDS [5]          untimed push+pull rounds before the timed runs (JIT warm-up)
#   LARGE_LAYERS [3] LARGE_LAYER_MIB [64] MANY_LAYERS [50] MANY_LAYER_KIB [100]
#   READY_TIMEOUT [120]        seconds to wait for a server to answer GET /v2/ with 200
#   BENCH_TMPDIR [$TMPDIR or /tmp]   where images and both registries' data live (same filesystem for both)
#   KEEP_TMP [0]               1 keeps the work dir (logs, data) after exit
#   DIST_LOG_LEVEL [warn]      Distribution log level (its access log is always off, see write_dist_config)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)

JAR=${1:-$REPO_ROOT/target/berth.jar}
RUNS=${RUNS:-5}
ONLY=${ONLY:-both}
BERTH_PORT=${BERTH_PORT:-15000}
BERTH_MGMT_PORT=${BERTH_MGMT_PORT:-15001}
DIST_PORT=${DIST_PORT:-15002}
BERTH_JAVA_OPTS=${BERTH_JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-32}
AB_CONC=${AB_CONC:-32}
AB_REQUESTS=${AB_REQUESTS:-20000}
AB_WARMUP_REQUESTS=${AB_WARMUP_REQUESTS:-3000}
GET_CLIENTS=${GET_CLIENTS:-4}
GET_ROUNDS=${GET_ROUNDS:-5}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-5}
TP_ROUNDS=${TP_ROUNDS:-3}
LARGE_LAYERS=${LARGE_LAYERS:-3}
LARGE_LAYER_MIB=${LARGE_LAYER_MIB:-64}
MANY_LAYERS=${MANY_LAYERS:-50}
MANY_LAYER_KIB=${MANY_LAYER_KIB:-100}
READY_TIMEOUT=${READY_TIMEOUT:-120}
BENCH_TMPDIR=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}
KEEP_TMP=${KEEP_TMP:-0}
DIST_LOG_LEVEL=${DIST_LOG_LEVEL:-warn}
BUSYBOX=${BUSYBOX:-/bin/busybox}
BERTH_ADMIN_PASSWORD=bench-admin-$RANDOM$RANDOM

ACCEPT='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json'
IMAGES=(small large many)

die() { echo "registry-bench: error: $*" >&2; exit 1; }
say() { echo "$*" >&2; }
warn() {
    say ""
    say "!!!!!!!!!! WARNING: $* !!!!!!!!!!"
    say ""
    WARNINGS+=("$*")
}
WARNINGS=()

# ---------------------------------------------------------------------------------------------------------
# Preconditions

case "$ONLY" in
    both) REGS=(berth distribution) ;;
    berth) REGS=(berth) ;;
    distribution) REGS=(distribution) ;;
    *) die "ONLY must be berth, distribution or both (got '$ONLY')" ;;
esac
has_reg() { local r; for r in "${REGS[@]}"; do [[ $r == "$1" ]] && return 0; done; return 1; }

missing=()
for tool in skopeo wrk ab curl python3 awk sort; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
has_reg distribution && { command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry); }
has_reg berth && { command -v java >/dev/null 2>&1 || missing+=(java); }
[[ -x $BUSYBOX ]] || missing+=("$BUSYBOX")
if ((${#missing[@]})); then
    die "missing: ${missing[*]}
  install with: apt-get install skopeo wrk apache2-utils docker-registry busybox-static curl python3
  (and a Java 17+ runtime, e.g. openjdk-17-jre-headless, for Berth)"
fi
if has_reg berth; then
    [[ -f $JAR ]] || die "Berth jar not found: $JAR (build it with 'mvn -DskipTests package' or pass its path as the first argument, or run with ONLY=distribution)"
    JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
fi
for n in RUNS TP_ROUNDS AB_CONC AB_REQUESTS AB_WARMUP_REQUESTS GET_CLIENTS GET_ROUNDS WARMUP_ROUNDS LARGE_LAYERS \
         LARGE_LAYER_MIB MANY_LAYERS MANY_LAYER_KIB READY_TIMEOUT WRK_THREADS WRK_CONNS; do
    [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (got '${!n}')"
done
((RUNS >= 1 && TP_ROUNDS >= 1 && GET_ROUNDS >= 1 && GET_CLIENTS >= 1)) ||
    die "RUNS, TP_ROUNDS, GET_ROUNDS and GET_CLIENTS must be at least 1"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
declare -A PORT=([berth]=$BERTH_PORT [distribution]=$DIST_PORT)
# Per registry: curl/wrk/ab options that authenticate a pull (a bearer token for Berth, nothing for Distribution).
declare -A AUTH=([berth]="" [distribution]="")
check_ports=()
has_reg berth && check_ports+=("BERTH_PORT=$BERTH_PORT" "BERTH_MGMT_PORT=$BERTH_MGMT_PORT")
has_reg distribution && check_ports+=("DIST_PORT=$DIST_PORT")
for kv in "${check_ports[@]}"; do
    port_in_use "${kv#*=}" && die "port ${kv#*=} is in use; choose another with ${kv%%=*}=<port>"
done

# ---------------------------------------------------------------------------------------------------------
# Work dir and cleanup: both servers are killed and the work dir removed on any exit, Ctrl-C included.

WORK=$(mktemp -d "$BENCH_TMPDIR/registry-bench.XXXXXX")
SKOPEO_LOG=$WORK/skopeo.log
declare -A PID=()

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local reg pid i
    for reg in "${!PID[@]}"; do
        pid=${PID[$reg]}
        kill -TERM "$pid" 2>/dev/null || continue
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ $KEEP_TMP == 1 ]]; then
        say "work dir kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------
# Servers

write_dist_config() {
    # Minimal filesystem config modelled on the upstream/Debian default (in-memory blob descriptor cache,
    # delete enabled) but with the access log off and level warn: per-request logging would only slow the
    # reference down, and the aim is to compare against its best case.
    cat >"$WORK/distribution/config.yml" <<EOF
version: 0.1
log:
  level: $DIST_LOG_LEVEL
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/distribution/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$DIST_PORT
EOF
}

start_server() {
    local reg=$1 dir=$WORK/$1
    mkdir -p "$dir/data"
    if [[ $reg == berth ]]; then
        local opts
        read -r -a opts <<<"$BERTH_JAVA_OPTS"
        # Run from the work dir so that no ./config/application.yml of the caller's cwd is picked up: Berth
        # runs with the defaults packed in the jar plus these settings.
        # The token lifetime outlasts the whole run, so that one token serves every load generator.
        (cd "$dir" && exec java "${opts[@]}" -jar "$JAR" --server.port="$BERTH_PORT" \
            --management.server.port="$BERTH_MGMT_PORT" --berth.data-dir="$dir/data" \
            --berth.hub.initial-admin-password="$BERTH_ADMIN_PASSWORD" --berth.hub.token.lifetime=6h) \
            >"$dir/server.log" 2>&1 &
    else
        write_dist_config
        (cd "$dir" && exec docker-registry serve "$dir/config.yml") >"$dir/server.log" 2>&1 &
    fi
    PID[$reg]=$!
}

wait_ready() {
    local reg=$1 port=${PORT[$1]} code deadline=$((SECONDS + READY_TIMEOUT))
    while :; do
        if ! kill -0 "${PID[$reg]}" 2>/dev/null; then
            say "---- last lines of $reg log ----"; tail -n 40 "$WORK/$reg/server.log" >&2 || true
            die "$reg exited before it became ready"
        fi
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
        # Berth wants a token even for /v2/: its 401 challenge means it is up.
        [[ $code == 200 || ($reg == berth && $code == 401) ]] && return 0
        if ((SECONDS >= deadline)); then
            say "---- last lines of $reg log ----"; tail -n 40 "$WORK/$reg/server.log" >&2 || true
            die "$reg did not answer GET /v2/ with 200 within ${READY_TIMEOUT}s (last status: $code)"
        fi
        sleep 0.2 # poll interval
    done
}

# ---------------------------------------------------------------------------------------------------------
# Helpers

now_ns() { date +%s%N; }
secs_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

median() {
    printf '%s\n' "$@" | { grep -E '^[0-9.]+$' || true; } | sort -g |
        awk '{ a[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

clear_skopeo_cache() {
    # skopeo remembers where it has seen each blob (blob-info cache) and then tries cross-repository mounts
    # or skips uploads; remove it so that every copy does the whole protocol against either registry.
    rm -rf /var/lib/containers/cache "${HOME:-/root}/.local/share/containers/cache"
}

# build_image <kind> <dir>: writes an OCI layout with fresh random content, sets IMG_MANIFEST and IMG_LAYERS.
build_image() {
    local kind=$1 dir=$2 args=() out
    case "$kind" in
        small) args=(--busybox "$BUSYBOX") ;;
        large) args=(--layers "$LARGE_LAYERS" --layer-kib $((LARGE_LAYER_MIB * 1024))) ;;
        many) args=(--layers "$MANY_LAYERS" --layer-kib "$MANY_LAYER_KIB") ;;
    esac
    out=$(python3 "$HERE/make_oci_layout.py" "$kind" "$dir" "${args[@]}") || die "building the $kind image failed"
    IMG_MANIFEST=$(awk '$1 == "manifest" { print $2 }' <<<"$out")
    mapfile -t IMG_LAYERS < <(awk '$1 == "layer" { print $2 " " $3 }' <<<"$out")
}

# timed_copy <what> <tls flag> <source> <destination> [skopeo option...]: one skopeo copy with a cold blob-info
# cache; sets ELAPSED
timed_copy() {
    local what=$1 tls=$2 src=$3 dest=$4 t0
    shift 4
    clear_skopeo_cache
    t0=$(now_ns)
    if ! skopeo copy --quiet --preserve-digests "$tls" "$@" "$src" "$dest" >>"$SKOPEO_LOG" 2>&1; then
        tail -n 20 "$SKOPEO_LOG" >&2
        die "$what failed"
    fi
    ELAPSED=$(secs_since "$t0")
}

# push <reg> <layout> <repo>: sets ELAPSED (seconds)
push() {
    local reg=$1 layout=$2 repo=$3
    # Berth takes pushes from signed-in users only (the token flow is part of the figure), here with a personal
    # access token as CI would sign in; Distribution runs without auth, as it ships.
    local creds=()
    [[ $reg != berth ]] || creds=(--dest-creds "admin:$BERTH_PUSH_TOKEN")
    timed_copy "push of $repo to $reg" --dest-tls-verify=false \
        "oci:$layout:latest" "docker://127.0.0.1:${PORT[$reg]}/$repo:latest" "${creds[@]}"
}

# pull <reg> <repo> <expected manifest digest>: sets ELAPSED (seconds); the pulled image is checked, discarded
pull() {
    local reg=$1 repo=$2 want=$3 dest
    dest=$WORK/pull-$reg
    rm -rf "$dest"
    mkdir -p "$dest"
    timed_copy "pull of $repo from $reg" --src-tls-verify=false \
        "docker://127.0.0.1:${PORT[$reg]}/$repo:latest" "oci:$dest:latest"
    grep -q "$want" "$dest/index.json" || die "pull of $repo from $reg: manifest digest is not $want"
    rm -rf "$dest"
}

round_order() { # <round>: sets ORDER, the registries in turn order, the first one alternating between rounds
    ORDER=("${REGS[@]}")
    if (($1 % 2 == 0 && ${#REGS[@]} == 2)); then ORDER=("${REGS[1]}" "${REGS[0]}"); fi
}

declare -A RES=() # RES[figure/reg] = space-separated samples

record() { RES[$1/$2]="${RES[$1/$2]:-} $3"; }

# ---------------------------------------------------------------------------------------------------------
# Start

say "registry-bench: work dir $WORK"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if awk -v l="${LOAD_AT_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 > n / 2) }'; then
    warn "load average at start is $LOAD_AT_START on $(nproc) CPUs: something else is busy, figures will be noisy"
fi
for reg in "${REGS[@]}"; do start_server "$reg"; done
for reg in "${REGS[@]}"; do
    t0=$(now_ns)
    wait_ready "$reg"
    say "$reg ready on 127.0.0.1:${PORT[$reg]} (waited $(secs_since "$t0")s)"
done
# A token rather than the password: a password sign-in costs a bcrypt check (~0.1 s here) per registry token,
# which is the point of a password hash and not what a push should be measured by.
if has_reg berth; then
    BERTH_PUSH_TOKEN=$(curl -sf -u "admin:$BERTH_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
        -d '{"name":"bench","scopes":["read","write"]}' "http://127.0.0.1:$BERTH_PORT/api/v1/user/tokens" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') || die "berth: cannot create an access token"
fi

# Warm-up: untimed pushes and pulls so that the JVM has compiled its hot paths (the HotSpot JIT needs
# thousands of calls) before anything is timed; Distribution goes through the same rounds.
say "warm-up: $WARMUP_ROUNDS untimed push+pull rounds of the small and many-layer images"
for ((w = 1; w <= WARMUP_ROUNDS; w++)); do
    for kind in small many; do
        build_image "$kind" "$WORK/img/warm-$kind-$w"
        for reg in "${REGS[@]}"; do
            push "$reg" "$WORK/img/warm-$kind-$w" "bench/warmup-$kind-$w"
            pull "$reg" "bench/warmup-$kind-$w" "$IMG_MANIFEST"
        done
        rm -rf "$WORK/img/warm-$kind-$w"
    done
done

# ---------------------------------------------------------------------------------------------------------
# Push and pull times
#
# Fairness: a registry that already holds a blob lets skopeo skip its upload (HEAD answers 200), so every
# run builds each image afresh with new random content (small: a random nonce file next to busybox) and
# pushes it to a new repository (bench/<image>-r<run>): every push uploads every blob to both registries.
# The same image is pushed to both registries; the registry that goes first alternates from run to run.

say "push/pull: $RUNS timed runs"
for ((r = 1; r <= RUNS; r++)); do
    round_order "$r"
    order=("${ORDER[@]}")
    for kind in "${IMAGES[@]}"; do
        layout=$WORK/img/$kind-r$r
        build_image "$kind" "$layout"
        for reg in "${order[@]}"; do
            push "$reg" "$layout" "bench/$kind-r$r"
            record "push_$kind" "$reg" "$ELAPSED"
            say "  run $r  push $kind  $reg  ${ELAPSED}s"
        done
        for reg in "${order[@]}"; do
            pull "$reg" "bench/$kind-r$r" "$IMG_MANIFEST"
            record "pull_$kind" "$reg" "$ELAPSED"
            say "  run $r  pull $kind  $reg  ${ELAPSED}s"
        done
        if [[ $kind == large ]]; then
            LARGE_REPO=bench/$kind-r$r
            read -r LARGE_DIGEST LARGE_SIZE <<<"${IMG_LAYERS[0]}"
        fi
        rm -rf "$layout"
    done
done

# ---------------------------------------------------------------------------------------------------------
# Throughput figures run against bench/small (manifest, blob HEAD) and the first layer of the last large
# image (blob GET). Client and servers share this machine's CPUs.

build_image small "$WORK/img/small"
SMALL_MANIFEST=$IMG_MANIFEST
read -r SMALL_LAYER SMALL_LAYER_SIZE <<<"${IMG_LAYERS[0]}"
for reg in "${REGS[@]}"; do
    push "$reg" "$WORK/img/small" bench/small
done

# Berth answers pulls to token holders only, as docker and skopeo do them: one anonymous pull token (the
# repositories are public) serves every request of the load generators below, which send it as a header.
if has_reg berth; then
    token_url="http://127.0.0.1:$BERTH_PORT/token?service=berth&scope=repository:bench/small:pull&scope=repository:$LARGE_REPO:pull"
    token=$(curl -sf "$token_url" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])') ||
        die "berth: no pull token from $token_url"
    AUTH[berth]="Authorization: Bearer $token"
fi
auth_args() { # <reg>: sets AUTH_ARGS, the header options for curl, wrk and ab
    AUTH_ARGS=()
    [[ -z ${AUTH[$1]} ]] || AUTH_ARGS=(-H "${AUTH[$1]}")
}

# Sanity checks with curl before the load generators, whose output says little about what went wrong.
for reg in "${REGS[@]}"; do
    base=http://127.0.0.1:${PORT[$reg]}/v2
    auth_args "$reg"
    hdrs=$(curl -s -o /dev/null -D - "${AUTH_ARGS[@]}" -H "Accept: $ACCEPT" "$base/bench/small/manifests/latest" | tr -d '\r')
    grep -q '^HTTP/[0-9.]* 200' <<<"$hdrs" || die "$reg: GET manifest is not 200: $(head -n1 <<<"$hdrs")"
    grep -qi "^docker-content-digest: $SMALL_MANIFEST" <<<"$hdrs" ||
        warn "$reg: GET manifest: Docker-Content-Digest is not $SMALL_MANIFEST"
    hdrs=$(curl -s -I "${AUTH_ARGS[@]}" "$base/bench/small/blobs/$SMALL_LAYER" | tr -d '\r')
    grep -q '^HTTP/[0-9.]* 200' <<<"$hdrs" || die "$reg: HEAD blob is not 200: $(head -n1 <<<"$hdrs")"
    grep -qi "^content-length: $SMALL_LAYER_SIZE\$" <<<"$hdrs" ||
        warn "$reg: HEAD blob: Content-Length is not $SMALL_LAYER_SIZE"
done

# Each throughput figure is measured in TP_ROUNDS rounds; within a round the registries take turns, the one
# going first alternating (round_order), and the median is reported: on a small shared VM single samples vary
# by tens of percent, and interleaving keeps slow phases of the machine from landing on one registry only.

# --- manifest GET requests/s (wrk) ---
run_wrk() { # <url> <duration>: prints wrk's output (AUTH_ARGS set by the caller)
    wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$2" "${AUTH_ARGS[@]}" -H "Accept: $ACCEPT" "$1" 2>&1 || true
}
measure_manifest_get() { # <reg> <round>
    local reg=$1 r=$2 url out rps bad errs
    auth_args "$reg"
    url=http://127.0.0.1:${PORT[$reg]}/v2/bench/small/manifests/latest
    ((r > 1)) || run_wrk "$url" "$WARMUP" >/dev/null
    out=$(run_wrk "$url" "$DURATION")
    echo "$out" >"$WORK/wrk-$reg-$r.txt"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    [[ -n $rps ]] || { say "$out"; warn "$reg: wrk printed no Requests/sec"; rps=NA; }
    bad=$(awk -F: '/Non-2xx or 3xx responses/ { gsub(/ /, "", $2); print $2 }' <<<"$out")
    [[ -z $bad || $bad == 0 ]] || warn "$reg: manifest GET: $bad non-2xx/3xx responses (counted in the figure)"
    errs=$(grep 'Socket errors' <<<"$out" || true)
    [[ -z $errs ]] || warn "$reg: manifest GET: wrk $(sed 's/^ *//' <<<"$errs")"
    record manifest_get "$reg" "$rps"
    say "  round $r  $reg  $rps req/s"
}
say "manifest GET: wrk -t$WRK_THREADS -c$WRK_CONNS -d$DURATION, $TP_ROUNDS rounds (first preceded by a $WARMUP warm-up)"
for ((r = 1; r <= TP_ROUNDS; r++)); do
    round_order "$r"
    for reg in "${ORDER[@]}"; do measure_manifest_get "$reg" "$r"; done
done

# --- blob HEAD requests/s (ab; wrk would wait for a body after HEAD) ---
run_ab() { # <url> <requests>: prints ab's output (AUTH_ARGS set by the caller)
    ab -k -i -c "$AB_CONC" -n "$2" "${AUTH_ARGS[@]}" "$1" 2>&1 || true
}
measure_blob_head() { # <reg> <round>
    local reg=$1 r=$2 url out rps done_n failed non2xx keepalive
    auth_args "$reg"
    url=http://127.0.0.1:${PORT[$reg]}/v2/bench/small/blobs/$SMALL_LAYER
    ((r > 1)) || run_ab "$url" "$AB_WARMUP_REQUESTS" >/dev/null
    out=$(run_ab "$url" "$AB_REQUESTS")
    echo "$out" >"$WORK/ab-$reg-$r.txt"
    rps=$(awk '/^Requests per second:/ { print $4 }' <<<"$out")
    [[ -n $rps ]] || { say "$out"; warn "$reg: ab printed no Requests per second"; rps=NA; }
    done_n=$(awk '/^Complete requests:/ { print $3 }' <<<"$out")
    failed=$(awk '/^Failed requests:/ { print $3 }' <<<"$out")
    non2xx=$(awk '/^Non-2xx responses:/ { print $3 }' <<<"$out")
    [[ -z $done_n || $done_n == "$AB_REQUESTS" ]] || warn "$reg: blob HEAD: only $done_n of $AB_REQUESTS requests completed"
    [[ -z $failed || $failed == 0 ]] || warn "$reg: blob HEAD: ab counted $failed failed requests"
    [[ -z $non2xx || $non2xx == 0 ]] || warn "$reg: blob HEAD: $non2xx non-2xx responses (counted in the figure)"
    keepalive=$(awk '/^Keep-Alive requests:/ { print $3 }' <<<"$out")
    [[ -z $keepalive || $keepalive != 0 ]] || say "  note: $reg closed every connection (ab: 0 keep-alive requests)"
    record blob_head "$reg" "$rps"
    say "  round $r  $reg  $rps req/s"
}
say "blob HEAD: ab -k -i -c $AB_CONC -n $AB_REQUESTS, $TP_ROUNDS rounds (first preceded by $AB_WARMUP_REQUESTS requests)"
for ((r = 1; r <= TP_ROUNDS; r++)); do
    round_order "$r"
    for reg in "${ORDER[@]}"; do measure_blob_head "$reg" "$r"; done
done

# --- blob GET MB/s (parallel curl) ---
# GET_CLIENTS curl processes each download the same 64 MiB layer at once; a round's figure is the bytes of
# all of them over the wall time from the first start to the last finish, and the median of GET_ROUNDS rounds
# is reported (after one untimed round). curl rather than wrk: every transfer is a whole, checked download
# (status 200 and the exact size), whereas wrk's Transfer/sec over a fixed window also counts the parts of
# 64 MiB bodies cut off when the time is up, and headers. The blob comes from the page cache on both sides.
get_round() { # <reg> <round-name>: sets MBPS
    local reg=$1 name=$2 url i t0 secs total=0 code size pids=()
    url=http://127.0.0.1:${PORT[$reg]}/v2/$LARGE_REPO/blobs/$LARGE_DIGEST
    auth_args "$reg"
    t0=$(now_ns)
    for ((i = 1; i <= GET_CLIENTS; i++)); do
        curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "${AUTH_ARGS[@]}" "$url" >"$WORK/get-$reg-$name-$i" 2>&1 &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || true; done # not a bare wait: the servers are children too
    secs=$(secs_since "$t0")
    for ((i = 1; i <= GET_CLIENTS; i++)); do
        read -r code size <"$WORK/get-$reg-$name-$i" || true
        if [[ $code != 200 || $size != "$LARGE_SIZE" ]]; then
            warn "$reg: blob GET: client $i got status ${code:-?} and ${size:-?} bytes (want 200 and $LARGE_SIZE)"
        fi
        total=$((total + ${size:-0}))
    done
    MBPS=$(awk -v b="$total" -v s="$secs" 'BEGIN { printf "%.1f", b / 1e6 / s }')
}
say "blob GET: $GET_CLIENTS parallel curl downloads of a $((LARGE_SIZE / 1048576)) MiB layer, $GET_ROUNDS rounds"
for reg in "${REGS[@]}"; do get_round "$reg" warm; done
for ((g = 1; g <= GET_ROUNDS; g++)); do
    round_order "$g"
    for reg in "${ORDER[@]}"; do
        get_round "$reg" "$g"
        record blob_get "$reg" "$MBPS"
        say "  round $g  $reg  $MBPS MB/s"
    done
done

# ---------------------------------------------------------------------------------------------------------
# Report

java_version=$(java -version 2>&1 | head -n1 || echo "java: not found")
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)

echo
echo "== registry-bench: Berth vs CNCF Distribution =="
echo "machine:      $(nproc) CPUs ${cpu:+($cpu)}, $mem, $(uname -srm)"
echo "skopeo:       $(skopeo --version)"
echo "distribution: $(docker-registry --version 2>&1 | head -n1)"
echo "java:         $java_version"
if has_reg berth; then
    echo "berth:        $JAR ($(stat -c '%s bytes, modified %y' "$JAR" | cut -d. -f1))"
    echo "berth JVM:    $BERTH_JAVA_OPTS"
fi
echo "distribution: filesystem storage, in-memory blob descriptor cache, log level $DIST_LOG_LEVEL, access log off"
echo "load average: $LOAD_AT_START at start, $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at end"
echo "storage:      both under $BENCH_TMPDIR ($(df -PT "$BENCH_TMPDIR" | awk 'NR == 2 { print $2 }'))"
echo
echo "method:"
echo "  - push/pull: skopeo copy (oci layout <-> docker://), median of $RUNS runs, seconds. Every run builds each"
echo "    image with new random content and pushes it to a new repository, so every push uploads every blob to"
echo "    both registries; skopeo's blob-info cache is removed before every copy (no cross-repo mounts); the"
echo "    registry going first alternates between runs; each pull goes to a fresh, empty directory."
echo "    small = busybox (1 gzip layer); large = $LARGE_LAYERS x $LARGE_LAYER_MIB MiB random (uncompressed tar layers);"
echo "    many = $MANY_LAYERS x $MANY_LAYER_KIB KiB random (uncompressed tar layers)."
echo "  - both servers warmed up first ($WARMUP_ROUNDS untimed push+pull rounds; $WARMUP wrk / $AB_WARMUP_REQUESTS ab"
echo "    requests / 1 curl round before each throughput figure): the JVM needs JIT warm-up."
echo "  - manifest GET: wrk -t$WRK_THREADS -c$WRK_CONNS -d$DURATION, Accept listing OCI + Docker manifest/index types,"
echo "    median of $TP_ROUNDS rounds."
echo "  - blob HEAD: ab -k -i -c $AB_CONC -n $AB_REQUESTS on the small image's layer, median of $TP_ROUNDS rounds."
echo "  - blob GET: $GET_CLIENTS parallel curl downloads of one ${LARGE_LAYER_MIB} MiB layer, aggregate MB/s (1 MB = 10^6 B),"
echo "    median of $GET_ROUNDS rounds."
echo "  - in every round of every figure the registries take turns, the one going first alternating."
echo "  - load generators run on the same $(nproc) CPUs as the server under test."
echo "  - ratio > 1 means Berth is better: berth/distribution for rates, distribution/berth for times."
echo

row() { # <figure key> <label> <unit kind: time|rate> <target ratio>
    local key=$1 label=$2 kind=$3 target=$4 b d ratio verdict
    b=$(median ${RES[$key/berth]:-})
    d=$(median ${RES[$key/distribution]:-})
    ratio=-
    verdict=-
    if [[ $b != NA && $d != NA ]]; then
        if [[ $kind == time ]]; then
            ratio=$(awk -v b="$b" -v d="$d" 'BEGIN { if (b > 0) printf "%.2f", d / b; else print "-" }')
        else
            ratio=$(awk -v b="$b" -v d="$d" 'BEGIN { if (d > 0) printf "%.2f", b / d; else print "-" }')
        fi
        if [[ $ratio != - ]]; then
            verdict=$(awk -v r="$ratio" -v t="$target" 'BEGIN { print (r >= t ? "ok" : "BELOW TARGET") }')
        fi
    fi
    [[ $b == NA ]] && b=-
    [[ $d == NA ]] && d=-
    printf '%-26s | %12s | %12s | %6s | %6s | %s\n' "$label" "$b" "$d" "$ratio" ">=$target" "$verdict"
}

printf '%-26s | %12s | %12s | %6s | %6s | %s\n' figure berth distribution ratio target ""
printf '%s\n' "---------------------------+--------------+--------------+--------+--------+-------------"
for kind in "${IMAGES[@]}"; do row "push_$kind" "push $kind (s)" time 1.0; done
for kind in "${IMAGES[@]}"; do row "pull_$kind" "pull $kind (s)" time 1.0; done
row manifest_get "manifest GET (req/s)" rate 1.5
row blob_head "blob HEAD (req/s)" rate 1.0
row blob_get "blob GET (MB/s)" rate 1.0


echo
echo "samples (in order):"
for key in push_small push_large push_many pull_small pull_large pull_many manifest_get blob_head blob_get; do
    for reg in "${REGS[@]}"; do
        printf '  %-13s %-12s %s\n' "$key" "$reg" "${RES[$key/$reg]:- -}"
    done
done

if ((${#WARNINGS[@]})); then
    echo
    echo "WARNINGS (the figures above may be meaningless):"
    printf '  !! %s\n' "${WARNINGS[@]}"
fi
