#!/usr/bin/env bash
# What durable commits cost: the latency of manifest PUTs and of small blob pushes (POST ?digest=) against one Berth
# jar, with the embedded H2 database as it was (WRITE_DELAY=500: a commit is answered before it is written, and a
# crash loses it) and as it is (WRITE_DELAY=0: written before it is answered), on a fresh data dir each; then H2 alone,
# a one-row commit in three modes, the third being the one not taken (an fsync per commit, CHECKPOINT SYNC).
#
#   src/bench/durability-bench.sh [path/to/berth.jar]       (default: <repo>/target/berth.jar)
#
# Environment knobs (defaults in brackets):
#   REQUESTS [300]      timed requests of each kind per mode (after WARMUP untimed ones)
#   WARMUP [100]
#   BENCH_TMPDIR [$TMPDIR or /tmp]   where the data dirs live (the disk under test)
#   BERTH_PORT [15100] BERTH_MGMT_PORT [15101]
#   KEEP_TMP [0]        1 keeps the work dir (logs, data)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
JAR=${1:-$REPO_ROOT/target/berth.jar}
REQUESTS=${REQUESTS:-300}
WARMUP=${WARMUP:-100}
BERTH_PORT=${BERTH_PORT:-15100}
BERTH_MGMT_PORT=${BERTH_MGMT_PORT:-15101}
KEEP_TMP=${KEEP_TMP:-0}
PASSWORD=bench-admin-$RANDOM$RANDOM

die() { echo "durability-bench: error: $*" >&2; exit 1; }
[[ -f $JAR ]] || die "no jar at $JAR (mvn -DskipTests package)"
command -v python3 >/dev/null || die "python3 is needed"
command -v curl >/dev/null || die "curl is needed"

WORK=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/durability-bench.XXXXXX")
PID=
cleanup() {
    [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    [[ $KEEP_TMP == 1 ]] && echo "work dir kept: $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT

H2_JAR=$(unzip -Z1 "$JAR" | grep -m1 '^BOOT-INF/lib/h2-.*\.jar$') || die "no H2 in $JAR"
(cd "$WORK" && unzip -q -o "$JAR" "$H2_JAR")

echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), data on $(df -T "$WORK" | awk 'NR==2 {print $2}')"
echo

run_berth() { # $1: name of its data dir, $2: label, $3: JDBC URL
    local data=$WORK/$1
    java -jar "$JAR" --server.port="$BERTH_PORT" --management.server.port="$BERTH_MGMT_PORT" \
        --berth.data-dir="$data" --berth.engine.enabled=false --berth.hub.gc.enabled=false \
        --berth.hub.initial-admin-password="$PASSWORD" --spring.datasource.url="$3" >"$WORK/$1.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 600); do
        curl -sf "http://127.0.0.1:$BERTH_MGMT_PORT/actuator/health/readiness" >/dev/null && break
        kill -0 "$PID" 2>/dev/null || die "Berth exited; see $WORK/$1.log"
        sleep 0.2
    done
    python3 - "$2" "$BERTH_PORT" "$PASSWORD" "$REQUESTS" "$WARMUP" <<'PY'
import base64, hashlib, http.client, json, os, statistics, sys, time, uuid
label, port, password, requests, warmup = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
repo = "bench/durable"
conn = http.client.HTTPConnection("127.0.0.1", port)
basic = base64.b64encode(f"admin:{password}".encode()).decode()
conn.request("GET", f"/token?service=berth&scope=repository:{repo}:pull,push", headers={"Authorization": "Basic " + basic})
token = json.loads(conn.getresponse().read())["token"]
auth = {"Authorization": "Bearer " + token}

def call(method, path, body, headers, expect):
    start = time.perf_counter()
    conn.request(method, path, body=body, headers={**auth, **headers})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    if response.status != expect:
        sys.exit(f"{method} {path} answered {response.status}")
    return elapsed

def push_blob(content):
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    return digest, call("POST", f"/v2/{repo}/blobs/uploads/?digest={digest}", content,
                        {"Content-Type": "application/octet-stream"}, 201)

config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
layer = os.urandom(4096)
config_digest, _ = push_blob(config)
layer_digest, _ = push_blob(layer)

def manifest(i):
    return json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": len(layer)}],
        "annotations": {"n": str(i), "run": str(uuid.uuid4())}}).encode()

puts, blobs = [], []
for i in range(warmup + requests):
    t = call("PUT", f"/v2/{repo}/manifests/t{i}", manifest(i),
             {"Content-Type": "application/vnd.oci.image.manifest.v1+json"}, 201)
    _, b = push_blob(os.urandom(1024))
    if i >= warmup:
        puts.append(t)
        blobs.append(b)

def figures(samples):
    samples = sorted(samples)
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000
    return f"p50 {pick(0.5):6.2f} ms  p90 {pick(0.9):6.2f} ms  p99 {pick(0.99):6.2f} ms"
print(f"{label:<32} manifest PUT  {figures(puts)}")
print(f"{'':<32} blob POST 1K  {figures(blobs)}")
PY
    kill "$PID" && wait "$PID" 2>/dev/null || true
    PID=
}

echo "Berth, $REQUESTS sequential requests of each kind after $WARMUP untimed ones:"
run_berth before "WRITE_DELAY=500 (before)" "jdbc:h2:file:$WORK/before/db/berth;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=500"
run_berth now "WRITE_DELAY=0 (now)" "jdbc:h2:file:$WORK/now/db/berth;DB_CLOSE_ON_EXIT=FALSE"

cat >"$WORK/H2Commit.java" <<'JAVA'
import java.sql.*;
public class H2Commit {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        String[][] modes = {{"WRITE_DELAY=500", "500", ""}, {"WRITE_DELAY=0", "0", ""},
                {"WRITE_DELAY=0 + CHECKPOINT SYNC", "0", "sync"}};
        for (String[] mode : modes) {
            String url = "jdbc:h2:file:" + args[0] + "/" + mode[1] + mode[2] + ";WRITE_DELAY=" + mode[1];
            try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                c.createStatement().execute("CREATE TABLE t(id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(200))");
                c.setAutoCommit(false);
                PreparedStatement insert = c.prepareStatement("INSERT INTO t(v) VALUES (?)");
                Statement sync = c.createStatement();
                long[] t = new long[n];
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    insert.setString(1, "row " + i);
                    insert.executeUpdate();
                    c.commit();
                    if (!mode[2].isEmpty()) {
                        sync.execute("CHECKPOINT SYNC");
                    }
                    t[i] = System.nanoTime() - start;
                }
                java.util.Arrays.sort(t);
                System.out.printf("%-32s commit        p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms%n", mode[0],
                        t[n / 2] / 1e6, t[n * 9 / 10] / 1e6, t[n * 99 / 100] / 1e6);
            }
        }
    }
}
JAVA
echo
echo "H2 alone, $((REQUESTS * 2)) one-row commits per mode:"
java -cp "$WORK/$H2_JAR" "$WORK/H2Commit.java" "$WORK/h2" $((REQUESTS * 2))
