#!/usr/bin/env bash
# A public repository with many tags, read anonymously: the repository page and the REST API's tag list, timed and
# weighed with curl. Each tag points at a manifest of its own (one shared config and layer), so that nothing is
# shared between tags that a listing could skip.
#
#   src/bench/tags-bench.sh [path/to/berth.jar]       (default: <repo>/target/berth.jar)
#
# Environment knobs (defaults in brackets):
#   TAGS [10000]               tags pushed (one manifest PUT each)
#   ROUNDS [5]                 timed requests per URL after the first (cold) one; the median is reported
#   PORT [16000] MGMT_PORT [16001]
#   JAVA_OPTS [-Xms1g -Xmx1g -XX:+UseParallelGC]
#   READY_TIMEOUT [600]        seconds to wait for Berth to answer
#   BENCH_TMPDIR [$TMPDIR or /tmp]   where Berth's data dir lives
#   KEEP_TMP [0]               1 keeps the work dir (log, data) after exit
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)

JAR=${1:-$REPO_ROOT/target/berth.jar}
TAGS=${TAGS:-10000}
ROUNDS=${ROUNDS:-5}
PORT=${PORT:-16000}
MGMT_PORT=${MGMT_PORT:-16001}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseParallelGC}
READY_TIMEOUT=${READY_TIMEOUT:-600}
BENCH_TMPDIR=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}
KEEP_TMP=${KEEP_TMP:-0}
PASSWORD=bench-admin-$RANDOM$RANDOM
REPOSITORY=admin/many-tags
BASE=http://127.0.0.1:$PORT

die() { echo "tags-bench: error: $*" >&2; exit 1; }
say() { echo "$*" >&2; }

for tool in java curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
[[ -f $JAR ]] || die "no jar at $JAR (mvn -DskipTests package)"

WORK=$(mktemp -d "$BENCH_TMPDIR/tags-bench.XXXXXX")
BERTH_PID=
cleanup() {
    if [[ -n $BERTH_PID ]] && kill -0 "$BERTH_PID" 2>/dev/null; then
        kill "$BERTH_PID" 2>/dev/null || true
        wait "$BERTH_PID" 2>/dev/null || true
    fi
    if [[ $KEEP_TMP == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Starts Berth on the work dir's data (the same data each time), with extra arguments; waits until it answers.
start_berth() {
    # shellcheck disable=SC2086
    (cd "$WORK" && exec java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --management.server.port="$MGMT_PORT" \
        --berth.data-dir="$WORK/data" --berth.engine.enabled=false --berth.hub.gc.enabled=false \
        --berth.hub.initial-admin-password="$PASSWORD" --berth.hub.token.lifetime=6h "$@") >"$WORK/berth.log" 2>&1 &
    BERTH_PID=$!
    local deadline=$((SECONDS + READY_TIMEOUT))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/v2/" || true) == 401 ]]; do
        kill -0 "$BERTH_PID" 2>/dev/null || die "Berth exited; see $WORK/berth.log (KEEP_TMP=1 keeps it)"
        ((SECONDS < deadline)) || die "Berth did not answer within ${READY_TIMEOUT}s"
        sleep 1
    done
}

stop_berth() {
    kill "$BERTH_PID" && wait "$BERTH_PID" 2>/dev/null || true
    BERTH_PID=
}

start_berth

say "pushing $TAGS tags to $REPOSITORY ..."
started=$SECONDS
python3 - "$BASE" "$PASSWORD" "$REPOSITORY" "$TAGS" <<'PY'
import base64, hashlib, http.client, json, sys, urllib.parse

base, password, repository, tags = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = urllib.parse.urlparse(base).netloc
conn = http.client.HTTPConnection(host)

def request(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, data

basic = base64.b64encode(("admin:" + password).encode()).decode()
status, body = request("GET", "/token?service=berth&scope=repository:%s:pull,push" % repository,
                       headers={"Authorization": "Basic " + basic})
assert status == 200, (status, body)
auth = {"Authorization": "Bearer " + json.loads(body)["token"]}

def blob(content):
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    status, body = request("POST", "/v2/%s/blobs/uploads/?digest=%s" % (repository, digest), content,
                           dict(auth, **{"Content-Type": "application/octet-stream"}))
    assert status == 201, (status, body)
    return {"mediaType": None, "digest": digest, "size": len(content)}

config = blob(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode())
config["mediaType"] = "application/vnd.oci.image.config.v1+json"
layer = blob(b"a layer shared by every tag\n" * 100)
layer["mediaType"] = "application/vnd.oci.image.layer.v1.tar"
for i in range(tags):
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": config, "layers": [layer],
                           "annotations": {"org.example.tag-number": str(i)}}).encode()
    status, body = request("PUT", "/v2/%s/manifests/v%05d" % (repository, i), manifest,
                           dict(auth, **{"Content-Type": "application/vnd.oci.image.manifest.v1+json"}))
    assert status == 201, (status, body)
PY
say "pushed in $((SECONDS - started)) s"

# One anonymous GET: status, bytes and seconds, as curl measures them.
fetch() { curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}\n' "$BASE$1"; }

measure() {
    local path=$1 first times=() status size time
    first=$(fetch "$path")
    for ((r = 0; r < ROUNDS; r++)); do
        read -r status size time < <(fetch "$path")
        times+=("$time")
    done
    read -r status size time <<<"$first"
    median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
    printf '%-62s %4s %10s %9.3f %9.3f\n' "$path" "$status" "$size" "$time" "$median"
}

echo
echo "$TAGS tags, anonymous GETs ($(date -u +%F), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-62s %4s %10s %9s %9s\n' "request" "code" "bytes" "first s" "median s"
# The REST API first: its first request meets no summary an earlier listing computed.
measure "/api/v1/repositories/$REPOSITORY/-/tags"
measure "/api/v1/repositories/$REPOSITORY/-/tags?page=2&size=100"
measure "/api/v1/repositories/$REPOSITORY/-/tags?page=$((TAGS / 100))&size=100"
measure "/r/$REPOSITORY"
measure "/r/$REPOSITORY?page=2"

# SQL statements per request: Berth again on the same data with every statement logged (Hibernate's and
# JdbcTemplate's), so that its caches start cold; each request's statements are the log lines it added.
stop_berth
start_berth --logging.level.org.hibernate.SQL=DEBUG --logging.level.org.springframework.jdbc.core.JdbcTemplate=DEBUG
statements() {
    local before after
    before=$(wc -l <"$WORK/berth.log")
    fetch "$1" >/dev/null
    after=$(wc -l <"$WORK/berth.log")
    sed -n "$((before + 1)),${after}p" "$WORK/berth.log" \
        | grep -cE 'org\.hibernate\.SQL|o\.h\.SQL|Executing (prepared )?SQL (statement|query) \[' || true
}
echo
echo "SQL statements per request, caches cold at the first of each"
printf '%-62s %10s\n' "request" "statements"
for path in "/api/v1/repositories/$REPOSITORY/-/tags" "/api/v1/repositories/$REPOSITORY/-/tags" \
        "/api/v1/repositories/$REPOSITORY/-/tags?page=50&size=100" "/r/$REPOSITORY" "/r/$REPOSITORY?page=3"; do
    printf '%-62s %10s\n' "$path" "$(statements "$path")"
done
