#!/usr/bin/env bash
# Times `docker run --rm busybox true` through Berth's Engine against the same command through dockerd (Debian
# docker.io), with `--network none` and on each daemon's default bridge, all four commands in one hyperfine invocation
# per round, and 50 `docker run -d` in parallel against each, with `--network none` and on the bridge. Both daemons run
# from a temporary directory, each with a bridge, firewall chains and subnet of its own, and are stopped on exit. See
# README.md, "Container benchmark".
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
JAR=${1:-$REPO/target/berth.jar}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
PARALLEL=${PARALLEL:-50}
SHARE_RUNS=${SHARE_RUNS:-60}
SHARE_WARMUP=${SHARE_WARMUP:-20}
FIGURES=${FIGURES:-single,parallel,share}
BERTH_PORT=${BERTH_PORT:-15100}
BERTH_MGMT_PORT=${BERTH_MGMT_PORT:-15101}
BERTH_JAVA_OPTS=${BERTH_JAVA_OPTS:--Xms512m -Xmx1g}
READY_TIMEOUT=${READY_TIMEOUT:-120}
ADMIN_PASSWORD=bench-admin-$RANDOM$RANDOM

BERTH_BRIDGE=${BERTH_BRIDGE:-cbberth0}
DOCKERD_BRIDGE=${DOCKERD_BRIDGE:-cbdocker0}
BERTH_POOL=${BERTH_POOL:-10.213.0.0/16:24}
DOCKERD_BIP=${DOCKERD_BIP:-10.214.0.1/24}

for tool in hyperfine docker dockerd containerd runc busybox curl java python3 ip; do
    command -v "$tool" >/dev/null || { echo "container-bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "container-bench: run as root" >&2; exit 1; }
[ -f "$JAR" ] || { echo "container-bench: no $JAR (mvn -o -q package -DskipTests)" >&2; exit 1; }

# Short: unix socket paths are limited to 107 bytes, and containerd puts its own under dockerd's exec root.
WORK=$(mktemp -d /tmp/cbench.XXXXXX)
BERTH_SOCK=$WORK/berth.sock
DOCKERD_SOCK=$WORK/dockerd.sock
BERTH_PID=
DOCKERD_PID=
export DOCKER_CONFIG=$WORK/docker-config   # none of the machine's contexts, hosts or credentials
unset DOCKER_HOST DOCKER_CONTEXT

berth() { docker -H "unix://$BERTH_SOCK" "$@"; }
dockerd_cli() { docker -H "unix://$DOCKERD_SOCK" "$@"; }

cleanup() {
    set +e
    for cli in berth dockerd_cli; do
        if [ -S "$WORK/${cli%_cli}.sock" ]; then
            ids=$($cli ps -aq 2>/dev/null)
            [ -z "$ids" ] || $cli rm -f $ids >/dev/null 2>&1
        fi
    done
    if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
        kill "$DOCKERD_PID"
        # dockerd stops its containerd and unmounts its layers itself; give it the time it needs
        for _ in $(seq 150); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$DOCKERD_PID" 2>/dev/null
    fi
    if [ -n "$BERTH_PID" ] && kill -0 "$BERTH_PID" 2>/dev/null; then
        kill "$BERTH_PID"
        for _ in $(seq 150); do kill -0 "$BERTH_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$BERTH_PID" 2>/dev/null
    fi
    ip link del "$DOCKERD_BRIDGE" 2>/dev/null
    ip link del "$BERTH_BRIDGE" 2>/dev/null
    # the firewall rules both daemons leave when they stop (Berth's chains, dockerd's rules for its bridge)
    for table in filter nat raw; do
        iptables-save -t "$table" | grep -E "^-A [A-Z0-9_-]+ .*(-j CBENCH-|$DOCKERD_BRIDGE)" | sed 's/^-A /-D /' |
            while read -r rule; do eval iptables -t "$table" "$rule"; done
        for chain in $(iptables-save -t "$table" | sed -n 's/^:\(CBENCH-[A-Z0-9-]*\) .*/\1/p'); do
            iptables -t "$table" -F "$chain"
        done
        for chain in $(iptables-save -t "$table" | sed -n 's/^:\(CBENCH-[A-Z0-9-]*\) .*/\1/p'); do
            iptables -t "$table" -X "$chain"
        done
    done
    # whatever a killed daemon left mounted under the work dir
    grep -o " $WORK/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "container-bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

await() { # await <what> <command...>: polls until the command succeeds
    local what=$1; shift
    for _ in $(seq $((READY_TIMEOUT * 5))); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "container-bench: $what not ready within ${READY_TIMEOUT}s" >&2
    tail -n 40 "$WORK"/*.log >&2
    exit 1
}

echo "== starting Berth ($JAR) and dockerd ($(dockerd --version)), data under $WORK"
# shellcheck disable=SC2086
java $BERTH_JAVA_OPTS -jar "$JAR" --server.port="$BERTH_PORT" --management.server.port="$BERTH_MGMT_PORT" \
    --berth.data-dir="$WORK/berth" --berth.engine.socket="$BERTH_SOCK" \
    --berth.hub.initial-admin-password="$ADMIN_PASSWORD" \
    --berth.engine.network.bridge-name="$BERTH_BRIDGE" --berth.engine.network.chain-prefix=CBENCH \
    --berth.engine.network.namespace-dir="$WORK/netns" --berth.engine.network.run-dir="$WORK/netrun" \
    --berth.engine.network.address-pools="$BERTH_POOL" >"$WORK/berth.log" 2>&1 &
BERTH_PID=$!
# dockerd's default bridge is one of the bench's own (not docker0, which another dockerd may use)
ip link add "$DOCKERD_BRIDGE" type bridge
ip addr add "$DOCKERD_BIP" dev "$DOCKERD_BRIDGE"
ip link set "$DOCKERD_BRIDGE" up
dockerd --data-root "$WORK/dockerd" --exec-root "$WORK/dx" --pidfile "$WORK/dockerd.pid" \
    -H "unix://$DOCKERD_SOCK" --bridge="$DOCKERD_BRIDGE" --ip6tables=false \
    >"$WORK/dockerd.log" 2>&1 &
DOCKERD_PID=$!
await Berth berth version
await dockerd dockerd_cli version
echo "   dockerd storage driver: $(dockerd_cli info --format '{{.Driver}}'), cgroup driver: $(dockerd_cli info --format '{{.CgroupDriver}}')"

echo "== busybox: imported into dockerd, pushed to Berth's Hub, pulled from there into both daemons"
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS/bin"
cp "$(command -v busybox)" "$ROOTFS/bin/busybox"
for applet in $(busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"; done
IMAGE=127.0.0.1:$BERTH_PORT/bench/busybox:1
tar -C "$ROOTFS" -c . | dockerd_cli import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
echo "$ADMIN_PASSWORD" | dockerd_cli login -u admin --password-stdin "127.0.0.1:$BERTH_PORT" >/dev/null
dockerd_cli push -q "$IMAGE" >/dev/null
dockerd_cli rmi "$IMAGE" >/dev/null
for cli in berth dockerd_cli; do
    $cli pull -q "$IMAGE" >/dev/null
    $cli tag "$IMAGE" busybox:latest
    $cli run --rm --network none busybox true || { echo "container-bench: $cli cannot run busybox" >&2; exit 1; }
    $cli run --rm busybox true || { echo "container-bench: $cli cannot run busybox on its bridge" >&2; exit 1; }
done

DOCKER=$(command -v docker)
wants() { [[ ",$FIGURES," == *",$1,"* ]]; }

daemon_share() { # daemon_share <cli>: create, start, wait, delete of `true` over the API with curl; ms per step a line
    local sock=$WORK/$1.sock out=$WORK/share-$1.txt reply id create start wait delete
    local api=(curl -sS --fail --unix-socket "$sock" -o /dev/null -w '%{time_total}' -X)
    : >"$out"
    for i in $(seq $((SHARE_WARMUP + SHARE_RUNS))); do
        reply=$(curl -sS --fail --unix-socket "$sock" -w ' %{time_total}' -H 'Content-Type: application/json' \
            -d '{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none"}}' http://d/containers/create)
        id=$(sed -n 's/.*"Id":"\([0-9a-f]*\)".*/\1/p' <<<"$reply")
        create=${reply##* }
        start=$("${api[@]}" POST "http://d/containers/$id/start")
        wait=$("${api[@]}" POST "http://d/containers/$id/wait")
        delete=$("${api[@]}" DELETE "http://d/containers/$id")
        [ "$i" -le "$SHARE_WARMUP" ] || echo "$create $start $wait $delete" >>"$out"
    done
}

if wants single; then
echo "== docker run --rm [--network none] busybox true: $ROUNDS rounds, all four in each hyperfine run, $RUNS runs each"
BN="$DOCKER -H unix://$BERTH_SOCK run --rm --network none busybox true"
DN="$DOCKER -H unix://$DOCKERD_SOCK run --rm --network none busybox true"
BB="$DOCKER -H unix://$BERTH_SOCK run --rm busybox true"
DB="$DOCKER -H unix://$DOCKERD_SOCK run --rm busybox true"
for round in $(seq "$ROUNDS"); do
    # hyperfine runs one command's runs after the other's: the order alternates between rounds
    if [ $((round % 2)) = 1 ]; then
        order=(-n berth "$BN" -n berth-bridge "$BB" -n dockerd "$DN" -n dockerd-bridge "$DB")
    else
        order=(-n dockerd-bridge "$DB" -n dockerd "$DN" -n berth-bridge "$BB" -n berth "$BN")
    fi
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/round-$round.json" "${order[@]}"
done
fi

parallel_run() { # parallel_run <cli> <network>: the wall time of PARALLEL concurrent `docker run -d`, in ms
    local cli=$1 network=$2 start end running
    start=$(date +%s%N)
    seq "$PARALLEL" | xargs -P "$PARALLEL" -I{} "$DOCKER" -H "unix://$WORK/${cli}.sock" \
        run -d --network "$network" busybox sleep 1000 >/dev/null
    end=$(date +%s%N)
    running=$(docker -H "unix://$WORK/${cli}.sock" ps -q --filter status=running | wc -l)
    [ "$running" = "$PARALLEL" ] || echo "container-bench: $cli has $running of $PARALLEL containers running" >&2
    ids=$(docker -H "unix://$WORK/${cli}.sock" ps -aq)
    # shellcheck disable=SC2086
    [ -z "$ids" ] || docker -H "unix://$WORK/${cli}.sock" rm -f $ids >/dev/null
    echo $(((end - start) / 1000000))
}
declare -A PAR
if wants parallel; then
echo "== $PARALLEL x docker run -d --network none|bridge busybox sleep 1000, all at once ($ROUNDS rounds)"
for round in $(seq "$ROUNDS"); do
    for network in none bridge; do
        for cli in berth dockerd; do
            ms=$(parallel_run "$cli" "$network")
            key=$cli; [ "$network" = none ] || key=$cli-$network
            PAR[$key]="${PAR[$key]:-} $ms"
            echo "   round $round $cli $network: ${ms} ms"
        done
    done
done
fi

if wants share; then
    echo "== the daemon's share of a run: create, start, wait, delete with curl on each socket ($SHARE_WARMUP warm-up," \
        "$SHARE_RUNS timed runs, $ROUNDS rounds, the daemons taking turns)"
    for round in $(seq "$ROUNDS"); do
        for cli in berth dockerd; do
            daemon_share "$cli"
            cat "$WORK/share-$cli.txt" >>"$WORK/share-all-$cli.txt"
        done
    done
fi

python3 - "$WORK" "$ROUNDS" "$PARALLEL" "$FIGURES" "${PAR[berth]:-}" "${PAR[dockerd]:-}" "${PAR[berth-bridge]:-}" \
    "${PAR[dockerd-bridge]:-}" <<'EOF'
import json, os, statistics, sys
work, rounds, parallel, figures = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].split(",")
par = {name: [int(v) for v in values.split()] for name, values in
       zip(("berth", "dockerd", "berth-bridge", "dockerd-bridge"), sys.argv[5:9])}
def row(name, b, d, fmt):
    print(f"{name:<52} {b:>10{fmt}} {d:>10{fmt}} {d / b:>13.2f}x")
print()
print(f"{'figure':<52} {'berth':>10} {'dockerd':>10} {'dockerd/berth':>14}")
medians = {}
if "single" in figures:
    for r in range(1, rounds + 1):
        for result in json.load(open(f"{work}/round-{r}.json"))["results"]:
            medians.setdefault(result["command"], []).append(result["median"] * 1000)
    single = {k: statistics.median(v) for k, v in medians.items()}
    row("docker run --rm true, median (ms)", single["berth"], single["dockerd"], ".1f")
    row("docker run --rm true, bridge, median (ms)", single["berth-bridge"], single["dockerd-bridge"], ".1f")
if "parallel" in figures:
    row(parallel + " x docker run -d in parallel, median (ms)", statistics.median(par["berth"]),
        statistics.median(par["dockerd"]), ".0f")
    row(parallel + " x docker run -d in parallel, bridge, median (ms)", statistics.median(par["berth-bridge"]),
        statistics.median(par["dockerd-bridge"]), ".0f")
share = {}
if "share" in figures:
    for cli in ("berth", "dockerd"):
        runs = [[float(x) * 1000 for x in line.split()] for line in open(f"{work}/share-all-{cli}.txt")]
        share[cli] = [statistics.median(step) for step in zip(*runs)] + [statistics.median(sum(r) for r in runs)]
    for i, step in enumerate(("create", "start", "wait", "delete")):
        row(f"daemon's share: {step}, median (ms)", share["berth"][i], share["dockerd"][i], ".1f")
    row("daemon's share: create+start+wait+delete, median (ms)", share["berth"][4], share["dockerd"][4], ".1f")
if "single" in figures:
    print(f"the bridge over none: berth {single['berth-bridge'] / single['berth'] - 1:+.0%},"
          f" dockerd {single['dockerd-bridge'] / single['dockerd'] - 1:+.0%}")
print()
for k, v in medians.items():
    print(f"round medians {k:<8} " + " ".join(f"{x:.1f}" for x in v) + " ms")
for k, v in par.items():
    if v:
        print(f"parallel      {k:<8} " + " ".join(str(x) for x in v) + " ms")
print("aim: berth at least 4x faster on the single run, 50 in parallel under 1500 ms, its share of a run under 40 ms;"
      " on the bridge at most 25% over none and at least 3x faster than dockerd")
EOF
