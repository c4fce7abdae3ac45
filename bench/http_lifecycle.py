"""A case's whole life over HTTP: server CPU per instance against SpiffWorkflow alone in memory.

A real waitress server (8 threads, the app as ``waitress-serve --call`` builds it) runs in its own
process on loopback. Each client runs instances of a one-user-task diagram
(``bench/diagrams/bench_one_task.bpmn``): start (POST), list the instance's tasks (GET), complete the
task (POST), read the instance (GET): four requests on one kept-alive connection. One client, then
eight at once. The server process's CPU (user + system, from /proc) is divided by the instances
run; SpiffWorkflow runs the same diagram in memory in the same round (parse once, then start,
complete, end per run) for the ratio. Two floors are measured in the same round, to show where the
ratio goes: the same four requests from one client to a bare Flask app on the same waitress
settings, which answers small fixed JSON and does no work (what serving the requests costs before
the service does anything), and the service layer alone, in this process and without HTTP (the
same four calls the routes make, their answers encoded as JSON). Each round runs all five back to
back; figures are the median with min-max over the rounds, and the load average is printed before
and after.

The database is a temporary SQLite file unless ``--database-url`` (or RCP_BENCH_DATABASE_URL)
names one; the database named ``test`` is refused, and nothing is dropped.

    .venv/bin/python bench/http_lifecycle.py [--instances 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DIAGRAMS = Path(__file__).parent / "diagrams"
DIAGRAM = DIAGRAMS / "bench_one_task.bpmn"
KEY = "bench_one_task"
TICKS = os.sysconf("SC_CLK_TCK")


def in_memory_cpu_ms(runs: int) -> float:
    """Return SpiffWorkflow's CPU milliseconds per run of the diagram (start, complete, end)."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.spiff.parser import SpiffBpmnParser
    from SpiffWorkflow.util.task import TaskState

    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec, subs = parser.get_spec(KEY), parser.get_subprocess_specs(KEY)
    began = time.process_time()
    for run in range(runs):
        workflow = BpmnWorkflow(spec, subs)
        workflow.get_next_task(state=TaskState.READY).data.update({"reference": f"R-{run}"})
        workflow.do_engine_steps()
        [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
        task.data.update({"decision": "approve"})
        task.run()
        workflow.do_engine_steps()
        assert workflow.is_completed()
    return (time.process_time() - began) * 1000 / runs


def prepare(url: str, folder: Path) -> str:
    """Migrate the database, deploy the diagram and return a token with every scope."""
    from service.actions.deployment import DiagramSet, deploy
    from service.bootstrap import bootstrap
    from service.config import Settings
    from service.engine.values import DiagramSource
    from service.identity import tokens
    from service.identity.actors import Actor

    services = bootstrap(Settings(database_url=url, secret_key="bench", instance_dir=folder, runner="off"))
    try:
        schema = (DIAGRAMS / f"{KEY}.start.schema.json").read_bytes()
        diagrams = DiagramSet([DiagramSource(DIAGRAM.name, DIAGRAM.read_bytes())], {}, {KEY: schema})
        deploy(services, diagrams, Actor("user", "bench"))
        name = f"bench-{os.getpid()}-{time.time_ns()}"
        return tokens.create(services, name, list(tokens.SCOPES))
    finally:
        services.close()


FLOOR_TOKEN = "floor"  # the bare app's only bearer token


def serve_floor(port: int) -> None:
    """Serve the four requests with a bare Flask app doing no work (the HTTP floor's server)."""
    import uuid

    from flask import Flask, abort, request
    from waitress import serve as waitress_serve

    app = Flask("floor")
    allowed = {f"Bearer {FLOOR_TOKEN}"}

    def checked() -> None:  # what every request of the app pays for: its token, its body parsed
        if request.headers.get("Authorization") not in allowed:
            abort(401)
        request.get_json(silent=True)

    @app.post("/api/v1/process-definitions/<key>/start")
    def start(key: str) -> Any:
        checked()
        return {"id": str(uuid.uuid4()), "processDefinitionKey": key, "status": "running"}, 201

    @app.get("/api/v1/tasks")
    def tasks() -> Any:
        checked()
        return {"items": [{"id": str(uuid.uuid4()), "name": "decide"}], "next": None}

    @app.post("/api/v1/tasks/<task_id>/complete")
    def complete(task_id: str) -> Any:
        checked()
        return {"id": task_id, "status": "completed"}

    @app.get("/api/v1/process-instances/<instance_id>")
    def read(instance_id: str) -> Any:
        checked()
        return {"id": instance_id, "status": "completed"}

    waitress_serve(app, host="127.0.0.1", port=port, threads=8, _quiet=True)


def service_layer_cpu_ms(url: str, folder: Path, runs: int) -> float:
    """Return the service layer's CPU milliseconds per instance in this process, without HTTP."""
    from service.actions import starting, tasks
    from service.bootstrap import bootstrap
    from service.config import Settings
    from service.identity import tokens
    from service.identity.actors import Actor
    from service.store.rows.core import TaskFilter
    from service.views import instances, open_tasks

    services = bootstrap(Settings(database_url=url, secret_key="bench", instance_dir=folder, runner="off"))
    actor = Actor("integrator", "bench-in-process", scopes=frozenset(tokens.SCOPES))

    def lifecycle(n: int) -> None:  # the calls the four routes make, each answer encoded
        started = starting.start_once(services, KEY, {"reference": f"S-{n}"}, actor)
        json.dumps(started.body)
        listed = open_tasks.tasks(services, actor, TaskFilter(instance_id=started.body["id"], limit=51))
        json.dumps({"items": listed, "next": None})
        answer = instances.answering(services)
        completed = tasks.complete(services, listed[0]["id"], {"decision": "approve"}, actor, answer=answer)
        json.dumps(completed.answer)
        view = instances.instance(services, started.body["id"])
        json.dumps(view)
        assert view["status"] == "completed", view

    try:
        lifecycle(-1)  # warm
        began = time.process_time()
        for n in range(runs):
            lifecycle(n)
        return (time.process_time() - began) * 1000 / runs
    finally:
        services.close()


def serve(port: int) -> None:
    """Serve the app from the environment's settings (the server process)."""
    from waitress import serve as waitress_serve

    from service import create_app

    waitress_serve(create_app(), host="127.0.0.1", port=port, threads=8, _quiet=True)


def start_server(url: str, folder: Path, role: str = "--serve") -> tuple[subprocess.Popen[bytes], int]:
    """Start a server process (``role``: the app or the bare floor) on a free port; wait for it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "RCP_INSTANCE_DIR": str(folder),
        "RCP_RUNNER": "off",
        "RCP_API_RATE_LIMIT": "100000000",  # kept on (its cost counts), never reached
    }
    log = (folder / "server.log").open("ab")
    process = subprocess.Popen([sys.executable, __file__, role, str(port)], env=env, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()  # any answer: the bare app has no /healthz
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not answer; see {folder / 'server.log'}")


def cpu_seconds(pid: int) -> float:
    """Return a process's user + system CPU seconds so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Client:
    """One integrator on one kept-alive connection."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        data = None if body is None else json.dumps(body)
        self.conn.request(method, "/api/v1" + path, data, self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        if response.status != expect:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:300]!r}")
        return json.loads(payload)

    def lifecycle(self, n: str) -> None:
        """Start, list tasks, complete, read: one instance's whole life."""
        started = self.call("POST", f"/process-definitions/{KEY}/start", {"variables": {"reference": n}}, 201)
        [task] = self.call("GET", f"/tasks?processInstanceId={started['id']}")["items"]
        self.call("POST", f"/tasks/{task['id']}/complete", {"variables": {"decision": "approve"}})
        assert self.call("GET", f"/process-instances/{started['id']}")["status"] == "completed"


def drive(port: int, token: str, clients: int, instances: int, pid: int) -> tuple[float, float]:
    """Run ``instances`` lifecycles over ``clients`` connections; return (per second, CPU ms each)."""
    each = instances // clients
    workers = [Client(port, token) for _ in range(clients)]
    errors: list[BaseException] = []

    def work(client: Client, offset: int) -> None:
        try:
            for i in range(each):
                client.lifecycle(f"R-{offset + i}")
        except BaseException as exc:  # reported below, the round fails
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c, k * each)) for k, c in enumerate(workers)]
    cpu, began = cpu_seconds(pid), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed, used = time.perf_counter() - began, cpu_seconds(pid) - cpu
    if errors:
        raise errors[0]
    done = each * clients
    return done / elapsed, used * 1000 / done


def spread(values: list[float], fmt: str = ".2f") -> str:
    """Return 'median (min-max)'."""
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"


def database_url(given: str | None, folder: Path) -> str:
    """Return the database to use: the one given (never ``test``) or a temporary SQLite file."""
    if not given:
        return f"sqlite:///{folder / 'bench.db'}"
    if urlsplit(given).path.lstrip("/") == "test":
        raise SystemExit("refusing the database 'test': it belongs to the test suite")
    return given


def measure(url: str, folder: Path, instances: int, repeat: int) -> dict[str, list[float]]:
    """Run the rounds against one server; return every figure of every round."""
    token = prepare(url, folder)
    process, port = start_server(url, folder)
    floor, floor_port = start_server(url, folder, "--serve-floor")
    kinds = ("memory", "service", "floor", "rate1", "cpu1", "rate8", "cpu8")
    found: dict[str, list[float]] = {k: [] for k in kinds}
    try:
        drive(port, token, 1, 20, process.pid)  # warm: specs, connections, code paths
        drive(floor_port, FLOOR_TOKEN, 1, 20, floor.pid)
        for _ in range(repeat):
            found["memory"].append(in_memory_cpu_ms(instances))
            found["service"].append(service_layer_cpu_ms(url, folder, instances))
            found["floor"].append(drive(floor_port, FLOOR_TOKEN, 1, instances, floor.pid)[1])
            rate, cpu = drive(port, token, 1, instances, process.pid)
            found["rate1"].append(rate)
            found["cpu1"].append(cpu)
            rate, cpu = drive(port, token, 8, instances, process.pid)
            found["rate8"].append(rate)
            found["cpu8"].append(cpu)
    finally:
        for server in (process, floor):
            server.terminate()
            server.wait(10)
    return found


def report(found: dict[str, list[float]], instances: int, before: tuple[float, ...]) -> None:
    """Print the figures with their spread and the ratios taken within each round."""
    print(f"instances per measurement: {instances} (start, list tasks, complete, read)")
    print(f"rounds: {len(found['memory'])}; median (min-max) over the rounds")
    print(f"SpiffWorkflow in memory   : {spread(found['memory'], '.3f')} ms CPU per run")
    for kind, label in (("floor", "HTTP floor (bare Flask) "), ("service", "service layer, no HTTP  ")):
        ratios = [c / m for c, m in zip(found[kind], found["memory"], strict=True)]
        print(f"{label} : {spread(found[kind])} ms CPU per instance, {spread(ratios, '.1f')}x in memory")
    for n in ("1", "8"):
        ratios = [c / m for c, m in zip(found[f"cpu{n}"], found["memory"], strict=True)]
        print(f"{n} client(s) over HTTP     : {spread(found[f'rate{n}'], '.1f')} instances/s")
        print(f"  server CPU per instance : {spread(found[f'cpu{n}'])} ms")
        print(f"  ÷ in memory             : {spread(ratios, '.1f')}x  (target <= 8x)")
    print(f"load average before: {before}, after: {os.getloadavg()}")


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--instances", type=int, default=300, help="instances per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="rounds")
    parser.add_argument("--database-url", default=os.environ.get("RCP_BENCH_DATABASE_URL"))
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server process
    parser.add_argument("--serve-floor", type=int, help=argparse.SUPPRESS)  # the bare app's process
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.serve_floor:
        serve_floor(args.serve_floor)
        return
    before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        found = measure(database_url(args.database_url, folder), folder, args.instances, args.repeat)
    report(found, args.instances - args.instances % 8, before)


if __name__ == "__main__":
    main()
