#!/usr/bin/env bash
# The daemon's side of the container commands, Berth's Engine against dockerd (Debian docker.io), each timed on its
# API socket by api_timing.py (a new connection per request, as the docker CLI makes them): create + start + wait +
# delete of `busybox true`, then GET /containers/json and GET /containers/<id>/json with 0, 50 and 200 containers
# running, and the same two reads through the docker CLI (`docker ps`, `docker inspect`) with hyperfine.
# See README.md, "Container API benchmark".
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
JAR=${1:-$HERE/../../target/berth.jar}
RUNS=${RUNS:-100}
CLI_RUNS=${CLI_RUNS:-30}
LEVELS=${LEVELS:-0 50 200}
PORT=${BERTH_PORT:-15110}
JAVA_OPTS=${BERTH_JAVA_OPTS:--Xms512m -Xmx1g}
PASSWORD=bench-$RANDOM$RANDOM

for tool in hyperfine docker dockerd busybox java python3; do
    command -v "$tool" >/dev/null || { echo "container-api-bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "container-api-bench: run as root" >&2; exit 1; }
[ -f "$JAR" ] || { echo "container-api-bench: no $JAR (mvn -o -q package -DskipTests)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/capi.XXXXXX)   # short: unix socket paths are limited to 107 bytes
export DOCKER_CONFIG=$WORK/cli   # none of the machine's contexts or credentials
unset DOCKER_HOST DOCKER_CONTEXT
declare -A SOCK=([berth]=$WORK/berth.sock [dockerd]=$WORK/dockerd.sock) PID=()
cli() { local daemon=$1; shift; docker -H "unix://${SOCK[$daemon]}" "$@"; }

stop_all() {
    set +e
    for daemon in berth dockerd; do
        [ -S "${SOCK[$daemon]}" ] || continue
        ids=$(cli "$daemon" ps -aq 2>/dev/null)
        [ -z "$ids" ] || cli "$daemon" rm -f $ids >/dev/null 2>&1
    done
    for daemon in "${!PID[@]}"; do
        kill "${PID[$daemon]}" 2>/dev/null
        for _ in $(seq 150); do kill -0 "${PID[$daemon]}" 2>/dev/null || break; sleep 0.2; done
        kill -9 "${PID[$daemon]}" 2>/dev/null
    done
    grep -o " $WORK/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "container-api-bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" --management.server.port=$((PORT + 1)) \
    --berth.data-dir="$WORK/berth" --berth.engine.socket="${SOCK[berth]}" \
    --berth.hub.initial-admin-password="$PASSWORD" >"$WORK/berth.log" 2>&1 &
PID[berth]=$!
dockerd --data-root "$WORK/dockerd" --exec-root "$WORK/dx" --pidfile "$WORK/dockerd.pid" -H "unix://${SOCK[dockerd]}" \
    --iptables=false --ip6tables=false --ip-masq=false --bridge=none >"$WORK/dockerd.log" 2>&1 &
PID[dockerd]=$!
for daemon in berth dockerd; do
    for _ in $(seq 600); do cli "$daemon" version >/dev/null 2>&1 && break; sleep 0.2; done
    cli "$daemon" version >/dev/null || { tail -n 40 "$WORK/$daemon.log" >&2; exit 1; }
done
echo "== Berth ($JAR) and dockerd ($(dockerd --version)), data under $WORK"

# busybox: imported into dockerd, pushed to Berth's Hub, pulled from there by both
mkdir -p "$WORK/rootfs/bin"
cp "$(command -v busybox)" "$WORK/rootfs/bin/busybox"
for applet in $(busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$WORK/rootfs/bin/$applet"; done
IMAGE=127.0.0.1:$PORT/bench/busybox:1
tar -C "$WORK/rootfs" -c . | cli dockerd import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
echo "$PASSWORD" | cli dockerd login -u admin --password-stdin "127.0.0.1:$PORT" >/dev/null
cli dockerd push -q "$IMAGE" >/dev/null
cli dockerd rmi "$IMAGE" >/dev/null
for daemon in berth dockerd; do cli "$daemon" pull -q "$IMAGE" >/dev/null; done

RESULTS=$WORK/results.jsonl
record() { # record <daemon> <figure> <json>
    python3 -c 'import json,sys; print(json.dumps({"daemon": sys.argv[1], "figure": sys.argv[2], "value": json.loads(sys.argv[3])}))' \
        "$1" "$2" "$3" >>"$RESULTS"
}

echo "== create + start + wait + delete of busybox true, $RUNS runs each"
for daemon in berth dockerd; do
    record "$daemon" run "$(python3 "$HERE/api_timing.py" run "${SOCK[$daemon]}" "$IMAGE" "$RUNS")"
done

running=0
for level in $LEVELS; do
    echo "== $level containers running"
    for daemon in berth dockerd; do
        seq $((level - running)) | xargs -r -P 25 -I{} docker -H "unix://${SOCK[$daemon]}" \
            run -d --network none "$IMAGE" sleep 100000 >/dev/null
    done
    running=$level
    for daemon in berth dockerd; do
        # inspect a container that is there at every level (a stopped one before any runs)
        target=$(cli "$daemon" ps -aq | tail -n 1)
        [ -n "$target" ] || target=$(cli "$daemon" create --network none "$IMAGE" true)
        record "$daemon" "ps $level" "$(python3 "$HERE/api_timing.py" get "${SOCK[$daemon]}" /v1.41/containers/json "$RUNS")"
        record "$daemon" "inspect $level" \
            "$(python3 "$HERE/api_timing.py" get "${SOCK[$daemon]}" "/v1.41/containers/$target/json" "$RUNS")"
        hyperfine -N --warmup 3 --runs "$CLI_RUNS" --export-json "$WORK/cli.json" \
            -n ps "docker -H unix://${SOCK[$daemon]} ps" \
            -n inspect "docker -H unix://${SOCK[$daemon]} inspect $target" >/dev/null
        for figure in ps inspect; do
            record "$daemon" "cli $figure $level" "$(python3 -c 'import json,sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}[sys.argv[2]]
print(json.dumps({"median": round(r["median"] * 1000, 2), "min": round(r["min"] * 1000, 2)}))' "$WORK/cli.json" "$figure")"
        done
    done
done

python3 - "$RESULTS" <<'EOF'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    rows.setdefault(r["figure"], {})[r["daemon"]] = r["value"]
print()
print(f"{'figure (ms, median; API: p90 in brackets)':<46} {'berth':>16} {'dockerd':>16}")
def cell(v):
    return f"{v['median']:.1f}" + (f" ({v['p90']:.1f})" if "p90" in v else "")
for step in ("create", "start", "wait", "delete", "total"):
    print(f"{'API run: ' + step:<46} {cell(rows['run']['berth'][step]):>16} {cell(rows['run']['dockerd'][step]):>16}")
for figure, by in rows.items():
    if figure != "run":
        cli = figure.startswith("cli ")
        name, level = (figure[4:] if cli else figure).split()
        label = f"{'CLI docker' if cli else 'API'} {name}, {level} running"
        print(f"{label:<46} {cell(by['berth']):>16} {cell(by['dockerd']):>16}")
EOF
