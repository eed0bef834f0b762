#!/usr/bin/env bash
# Every benchmark comparison in one command (docs/benchmarks.md):
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
# /proc/PID/stat (user + system time over the measured run). Peers:
#   host      the Uring.Host service (Uring.Actors: ring owner actor + UringTcp), as shipped
#   ring      a responder written directly on Uring.Ring's object API (one thread, no actors)
#   sockets   System.Net.Sockets async (accept loop, one receive/send loop per connection)
#   akkaio    the host's own service actors on Akka.IO's TCP instead of UringTcp
#   liburing  C on liburing (tests/Uring.Benchmarks/reference/liburing_server.c): the physical limit
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

dotnet build -c Release src/Uring.Host -v quiet -nologo >/dev/null
dotnet build -c Release tests/Uring.LoadTest -v quiet -nologo >/dev/null
host_dll=src/Uring.Host/bin/Release/net10.0/Uring.Host.dll
loadtest_dll=tests/Uring.LoadTest/bin/Release/net10.0/Uring.LoadTest.dll
c_server=/tmp/uring-loadtest-liburing-server
if [[ " $peers " == *" liburing "* ]]; then
  if ! gcc -O2 -Wall -o "$c_server" tests/Uring.Benchmarks/reference/liburing_server.c -luring 2>/dev/null; then
    echo "# liburing peer skipped: gcc or liburing-dev missing" >&2
    peers=${peers/liburing/}
  fi
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

ticks=$(getconf CLK_TCK)
exec 7< <(exec sleep infinity) # a stdin that never ends, for the C server (it stops at EOF)
keeper=$!
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null || true
  kill "$keeper" 2>/dev/null || true
}
trap cleanup EXIT
port=19000

start_server() { # peer protocol
  local peer=$1 protocol=$2
  port=$((port + 1))
  case $peer in
    host)
      local other=Echo; [[ $protocol == echo ]] && other=Http
      local service=Http; [[ $protocol == echo ]] && service=Echo
      taskset -c 0 dotnet "$host_dll" "--Uring:Services:$service:Endpoint=127.0.0.1:$port" "--Uring:Services:$other:Enabled=false" \
        --Serilog:MinimumLevel:Default=Warning >/dev/null 2>&1 &
      ;;
    liburing) taskset -c 0 "$c_server" "$protocol" "$port" <&7 >/dev/null 2>&1 & ;;
    *) taskset -c 0 dotnet "$loadtest_dll" server "$peer" "$protocol" "$port" >/dev/null 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      # The CPU figures must be the server's own, not a shell's that started it.
      [[ $(cat "/proc/$server_pid/comm") != bash ]] || { echo "internal error: \$! is a shell" >&2; exit 1; }
      return 0
    fi
    sleep 0.05
  done
  echo "server $peer $protocol did not start" >&2
  exit 1
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

per_unit() { awk -v ticks="$1" -v hz="$ticks" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", ticks * 1000000 / hz / n; else print "n/a" }'; }

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
