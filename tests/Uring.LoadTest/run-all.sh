#!/usr/bin/env bash
# Every benchmark comparison in one command (docs/performance.md):
#   tests/Uring.LoadTest/run-all.sh [seconds-per-run]
# Parts (PARTS="micro http echo" by default):
#   micro  NOP round trips (batch 1/8/64) and socketpair ping-pong (1 B, 4 KiB) through every
#          Uring API beside C liburing (tests/Uring.Benchmarks/reference) and System.Net.Sockets
#   http   HTTP/1.1 keep-alive with wrk at 1, 64 and 1024 connections
#   echo   TCP echo at 1, 64 and 1024 connections × 64 B, 4 KiB and 64 KiB messages
# For http and echo, REPEAT=n runs each comparison n times in turn (report the median).
# Each server under test is pinned to CPU 0 and its load generator (wrk for HTTP, the echo client
# of this project for echo) to CPU 1. Every run is preceded by a one-second warm-up. Reported per
# run: requests (or messages) per second, and the server's CPU microseconds per request from
# /proc/PID/stat (user + system time over the measured run). Peers (tests/Uring.LoadTest/lib.sh):
# host (as shipped: pinned to one CPU it runs one ring), host:N (N rings), ring, sockets, akkaio,
# liburing (the physical limit). host:2 against host measures what a second ring costs on one CPU.
# Narrow a run with PEERS, HTTP_CONNECTIONS, ECHO_CONNECTIONS, ECHO_SIZES, e.g. PEERS="host liburing".
# Needs wrk, taskset and, for the C peer, gcc and liburing-dev (apt-get install wrk liburing-dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
parts=${PARTS:-"micro http echo"}
repeat=${REPEAT:-1}
peers=${PEERS:-"host ring sockets akkaio liburing"}
http_connections=${HTTP_CONNECTIONS:-"1 64 1024"}
echo_connections=${ECHO_CONNECTIONS:-"1 64 1024"}
echo_sizes=${ECHO_SIZES:-"64 4096 65536"}
ulimit -n "$(ulimit -Hn)" # wrk and the servers need a descriptor per connection

SERVER_CPUS=0 # every server under test on CPU 0, its load generator on CPU 1
. tests/Uring.LoadTest/lib.sh
if ! build_peers $peers; then
  peers=$(tr ' ' '\n' <<<"$peers" | grep -v '^liburing' | tr '\n' ' ')
fi

if [[ " $parts " == *" micro "* ]]; then
  dotnet build -c Release tests/Uring.Benchmarks -v quiet -nologo >/dev/null
  bench_dll=tests/Uring.Benchmarks/bin/Release/net10.0/Uring.Benchmarks.dll
  echo "# micro: ns per operation (NOP) or per round trip (ping-pong)"
  if gcc -O2 -o /tmp/uring-liburing-nop tests/Uring.Benchmarks/reference/liburing_nop.c -luring 2>/dev/null &&
     gcc -O2 -o /tmp/uring-liburing-pingpong tests/Uring.Benchmarks/reference/liburing_pingpong.c -luring 2>/dev/null; then
    /tmp/uring-liburing-nop
    /tmp/uring-liburing-pingpong
  else
    echo "# C micro peers skipped: gcc or liburing-dev missing"
  fi
  dotnet "$bench_dll" nop
  dotnet "$bench_dll" pingpong
fi

echo "# $(date -u +%FT%TZ) $(uname -r), $(nproc) CPUs, $(dotnet --version), ${seconds}s per run"
echo "# kind | connections | size | peer | per second | server CPU us per request"
[[ " $parts " == *" http "* ]] || http_connections=""
[[ " $parts " == *" echo "* ]] || echo_connections=""
for round in $(seq "$repeat"); do
for connections in $http_connections; do
  for peer in $peers; do
    start_server "$peer" http
    taskset -c 1 wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$port/" >/dev/null 2>&1 || true
    before=$(cpu_ticks)
    out=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port/" 2>&1)
    after=$(cpu_ticks)
    stop_server
    requests=$(grep -oP '^\s*\K\d+(?= requests in)' <<<"$out")
    rate=$(grep -oP 'Requests/sec:\s*\K[\d.]+' <<<"$out")
    errors=$(grep -oP 'Socket errors:.*|Non-2xx.*' <<<"$out" | tr '\n' ' ' || true)
    echo "http | $connections | - | $peer | $rate | $(per_unit $((after - before)) "$requests") ${errors}"
  done
done

for connections in $echo_connections; do
  for size in $echo_sizes; do
    for peer in $peers; do
      start_server "$peer" echo
      taskset -c 1 dotnet "$loadtest_dll" echo-client "$port" "$connections" "$size" 1 >/dev/null 2>&1 || true
      before=$(cpu_ticks)
      out=$(taskset -c 1 dotnet "$loadtest_dll" echo-client "$port" "$connections" "$size" "$seconds" 2>&1 || true)
      after=$(cpu_ticks)
      stop_server
      messages=$(grep -oP 'messages=\K\d+' <<<"$out" || echo 0)
      rate=$(grep -oP 'msg/s=\K[\d.]+' <<<"$out" || echo "failed: $out")
      echo "echo | $connections | $size | $peer | $rate | $(per_unit $((after - before)) "$messages")"
    done
  done
done
done
