#!/usr/bin/env python3
"""Times Docker Engine API requests on a unix socket, one new connection per request as the docker CLI makes them.

    api_timing.py run <socket> <image> <runs>       create + start + wait + delete of `<image> true`, per step and in all
    api_timing.py get <socket> <path> <runs>        one GET, e.g. /containers/json or /containers/<id>/json

Prints one JSON object: the median, 90th percentile and minimum of each figure, in milliseconds. The first tenth of
the runs (at least 3) warm the daemon up and is not counted.
"""
import http.client
import json
import socket
import statistics
import sys
import time


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("docker")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def request(sock, method, path, body=None):
    connection = UnixConnection(sock)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.status >= 300 and response.status != 304:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return data
    finally:
        connection.close()


def timed(sock, method, path, body=None):
    start = time.perf_counter()
    data = request(sock, method, path, body)
    return (time.perf_counter() - start) * 1000, data


def summary(samples):
    ordered = sorted(samples)
    return {"median": round(statistics.median(ordered), 2),
            "p90": round(ordered[int(len(ordered) * 0.9) - 1 if len(ordered) >= 10 else -1], 2),
            "min": round(ordered[0], 2), "n": len(ordered)}


def run(sock, image, runs):
    warmup = max(3, runs // 10)
    steps = {"create": [], "start": [], "wait": [], "delete": [], "total": []}
    body = {"Image": image, "Cmd": ["true"], "AttachStdout": False, "AttachStderr": False,
            "HostConfig": {"NetworkMode": "none"}}
    for i in range(warmup + runs):
        took = {}
        took["create"], data = timed(sock, "POST", "/v1.41/containers/create", body)
        container = json.loads(data)["Id"]
        took["start"], _ = timed(sock, "POST", f"/v1.41/containers/{container}/start")
        took["wait"], data = timed(sock, "POST", f"/v1.41/containers/{container}/wait?condition=not-running")
        if json.loads(data).get("StatusCode") != 0:
            raise SystemExit(f"{image} true exited with {data!r}")
        took["delete"], _ = timed(sock, "DELETE", f"/v1.41/containers/{container}")
        took["total"] = sum(took.values())
        if i >= warmup:
            for step, ms in took.items():
                steps[step].append(ms)
    return {step: summary(samples) for step, samples in steps.items()}


def get(sock, path, runs):
    warmup = max(3, runs // 10)
    samples = []
    for i in range(warmup + runs):
        ms, _ = timed(sock, "GET", path)
        if i >= warmup:
            samples.append(ms)
    return summary(samples)


def main(argv):
    if len(argv) != 5 or argv[1] not in ("run", "get"):
        raise SystemExit(__doc__)
    sock, what, runs = argv[2], argv[3], int(argv[4])
    result = run(sock, what, runs) if argv[1] == "run" else get(sock, what, runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
