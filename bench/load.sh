#!/usr/bin/env bash
# The load run of `make bench`: gunicorn (TLS, production settings) on 127.0.0.1 and 30 simulated
# kader (locust, headless) doing the opening-day flow for 2 minutes. Bounded: locust stops on time,
# gunicorn is stopped on every exit. Writes var/bench/load_stats.csv and var/bench/load.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=var/bench
USERS=${BENCH_LOAD_USERS:-30}
RUN_TIME=${BENCH_LOAD_TIME:-2m}
# Thirty kader arriving over half a minute (one a second), each pausing BENCH_LOAD_WAIT seconds
# between actions (bench/locustfile.py: 10-20 by default; 1,3 for the stress profile).
SPAWN=${BENCH_LOAD_SPAWN:-1}
export BENCH_LOAD_WAIT=${BENCH_LOAD_WAIT:-10,20}
PORT=${BENCH_LOAD_PORT:-8443}
mkdir -p "$OUT"
[ -f "$OUT/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
  -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>/dev/null
$PY manage.py bench_load_prepare --kader "$USERS"
# --keep-alive above the kader's pause between actions: with gunicorn's default of 2 s the server
# closed idle connections just as a client reused them for the next POST, which then failed with
# "Remote end closed connection without response" (every error of the earlier load runs).
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 3 --threads 2 --keep-alive 75 \
  --certfile "$OUT/cert.pem" --keyfile "$OUT/key.pem" --pid "$OUT/gunicorn.pid" \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --daemon
trap 'kill "$(cat "$OUT/gunicorn.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sk -o /dev/null "https://127.0.0.1:$PORT/akun/masuk/" && break; sleep 0.2; done
BENCH_DIR=$OUT .venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r "$SPAWN" --run-time "$RUN_TIME" \
  --stop-timeout 10 --host "https://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary --loglevel WARNING || true
USERS=$USERS SPAWN=$SPAWN $PY - "$OUT" <<'PY'
import csv, json, os, sys
from pathlib import Path
out = Path(sys.argv[1])
rows = {row["Name"]: row for row in csv.DictReader((out / "load_stats.csv").open())}
total = rows["Aggregated"]
summary = {
    "requests": int(total["Request Count"]),
    "failures": int(total["Failure Count"]),
    "error_rate_percent": round(100 * int(total["Failure Count"]) / max(1, int(total["Request Count"])), 2),
    "requests_per_second": round(float(total["Requests/s"]), 1),
    "p50_ms": float(total["50%"]),
    "p95_ms": float(total["95%"]),
    "per_request": {name: {"count": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                           "p95_ms": float(r["95%"])} for name, r in rows.items() if name != "Aggregated"},
}
(out / "load.json").write_text(json.dumps(summary, indent=2))
summary["kader"], summary["spawn_per_second"], summary["wait_seconds"] = (
    int(os.environ["USERS"]), float(os.environ["SPAWN"]), os.environ["BENCH_LOAD_WAIT"])
(out / "load.json").write_text(json.dumps(summary, indent=2))
print(f"\nUji beban ({summary['kader']} kader, jeda {summary['wait_seconds']} detik; "
      f"{summary['requests']} permintaan): galat {summary['error_rate_percent']} %, "
      f"{summary['requests_per_second']} permintaan/detik, p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms")
for name, r in summary["per_request"].items():
    print(f"  {name:<20} {r['count']:>6}  gagal {r['failures']:>4}  p95 {r['p95_ms']:.0f} ms")
PY
