#!/usr/bin/env bash
# Times Berth's native runtime (berth-init run) against crun run and runc run of one busybox bundle, with hyperfine,
# all commands in one hyperfine invocation per round. See README.md, "Runtime benchmark".
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-200}
WORK=$(mktemp -d /tmp/berth-runtime-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for tool in hyperfine crun runc python3 unshare busybox; do
    command -v "$tool" >/dev/null || { echo "runtime-bench: $tool is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "runtime-bench: run as root" >&2; exit 1; }

echo "== building berth-init and the classes (mvn -o -q compile)"
(cd "$REPO" && mvn -o -q compile dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null)
BERTH_INIT="$REPO/target/classes/io/berth/engine/runtime/berthinit/berth-init"

echo "== bundle: busybox rootfs, runc's default config.json running true (new pid/net/ipc/uts/mount namespaces)"
BUNDLE="$WORK/bundle"
mkdir -p "$BUNDLE/rootfs/bin"
cp "$(command -v busybox)" "$BUNDLE/rootfs/bin/busybox"
ln -s busybox "$BUNDLE/rootfs/bin/true"
ln -s busybox "$BUNDLE/rootfs/bin/sh"
(cd "$BUNDLE" && runc spec)
python3 - "$BUNDLE/config.json" <<'EOF'
import json, sys
path = sys.argv[1]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["true"]
json.dump(spec, open(path, "w"), indent=1)
EOF

echo "== the plan, written once by the JVM"
java -cp "$REPO/target/classes:$(cat "$WORK/classpath.txt")" io.berth.engine.runtime.berthinit.PlanTool \
    "$BUNDLE" "$WORK/plan.txt"
"$BERTH_INIT" run "$WORK/plan.txt" || { echo "runtime-bench: berth-init run failed" >&2; exit 1; }

# crun 1.8 refuses the hybrid layout while the cgroup2 mount holds a controller (hugetlb here), even with its
# cgroup manager disabled. All commands therefore run in one private mount namespace where
# /sys/fs/cgroup/unified is unmounted: the v1 controllers stay as they are for runc and crun.
cat > "$WORK/inside.sh" <<EOF
set -e
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
cd "$BUNDLE"
for round in \$(seq $ROUNDS); do
    hyperfine -N --warmup 10 --runs $RUNS --export-json "$WORK/round-\$round.json" \\
        -n berth-init "$BERTH_INIT run $WORK/plan.txt" \\
        -n crun-nocgroup "crun --cgroup-manager=disabled run -b $BUNDLE bench-crun" \\
        -n crun "crun run -b $BUNDLE bench-crun-cg" \\
        -n runc "runc run -b $BUNDLE bench-runc"
done
EOF
echo "== hyperfine, $ROUNDS rounds of $RUNS runs each"
unshare --mount --propagation private bash "$WORK/inside.sh"

python3 - "$WORK" "$ROUNDS" <<'EOF'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
medians = {}
for r in range(1, rounds + 1):
    for result in json.load(open(f"{work}/round-{r}.json"))["results"]:
        medians.setdefault(result["command"], []).append(result["median"] * 1000)
print()
print(f"{'command':<16} {'median of round medians':>24}   rounds")
for command, values in medians.items():
    print(f"{command:<16} {statistics.median(values):>21.2f} ms   " + " ".join(f"{v:.2f}" for v in values))
EOF
