#!/usr/bin/env bash
# Load test of `hadath serve` with wrk (Debian: apt-get install -y wrk) on loopback.
#
#   scripts/load-test.sh [DB] [DURATION_S] [CONNECTIONS]
#
# DB defaults to /tmp/hadath-bench-1m.db (make it with
# `scripts/bench-store.py gen --events 1000000 --db /tmp/hadath-bench-1m.db`). The server runs
# from target/release/hadath with its default settings plus $HADATH_SERVE_ARGS;
# scripts/load/events.lua varies the filters of every request among typical dashboard queries. The server's resident memory is sampled every second; the script
# prints requests/s, latency percentiles, errors, and RSS at start, middle and end.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:-/tmp/hadath-bench-1m.db}
DURATION=${2:-60}
CONNS=${3:-100}
PORT=${HADATH_LOAD_PORT:-18090}
BIN=target/release/hadath
[ -x "$BIN" ] || { echo "build first: cargo build --release -p hadath-cli" >&2; exit 1; }
[ -f "$DB" ] || { echo "$DB does not exist: scripts/bench-store.py gen --events 1000000 --db $DB" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

"$BIN" serve --db "$DB" --bind "127.0.0.1:$PORT" ${HADATH_SERVE_ARGS:-} >/tmp/hadath-load-serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/healthz"; echo

rss() { awk '/VmRSS/ {print $2}' /proc/$PID/status; }
RSS_LOG=$(mktemp)
( while kill -0 $PID 2>/dev/null; do echo "$(date +%s) $(rss)" >>"$RSS_LOG"; sleep 1; done ) &
SAMPLER=$!

# Warm-up (page cache, connections), then the measured run.
wrk -t2 -c"$CONNS" -d5s -s scripts/load/events.lua "http://127.0.0.1:$PORT" >/dev/null
START_RSS=$(rss)
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s scripts/load/events.lua "http://127.0.0.1:$PORT" | tee /tmp/hadath-load-wrk.txt
END_RSS=$(rss)
# How many answers the cache served (it keeps answers until the store changes, --cache-secs at
# most; HADATH_SERVE_ARGS="--cache-secs 0" measures every request against the store).
echo "HEALTH $(curl -fsS "http://127.0.0.1:$PORT/healthz")"
kill $SAMPLER 2>/dev/null || true
N=$(wc -l <"$RSS_LOG")
MID=$(sed -n "$(( (N + 1) / 2 ))p" "$RSS_LOG" | cut -d' ' -f2)
MAX=$(cut -d' ' -f2 "$RSS_LOG" | sort -n | tail -1)
echo "RSS_KB after_warmup=$START_RSS middle=$MID end=$END_RSS max=$MAX samples=$N"
