#!/usr/bin/env bash
# Do the rings use more than one core? (docs/performance.md, "Rings per core")
#   tests/Uring.LoadTest/scale.sh [seconds-per-run]
# HTTP/1.1 keep-alive against the host with Uring:Ring:Count = 1, 2, 4 ... up to the CPU count, and
# in the same run the System.Net.Sockets and Akka.IO peers and C liburing with one ring per thread
# (a SO_REUSEPORT listener each, one thread per CPU). Every server is unpinned and may use every CPU.
# Each request costs WORK_US microseconds of CPU in every peer (the same SimulatedWork loop, the
# iteration count calibrated here once and passed to all; default 20): the handler's work, not the
# load generator, then decides how many cores a server can use. wrk pipelines PIPELINE requests
# per write (default 4), so its own cost per request stays small beside the work; on a 2-CPU
# machine it shares the CPUs with the server. Reported per run: requests per second, the server's
# CPU microseconds per request, and the rate over the host with one ring in the same round; then
# the medians over ROUNDS rounds (default 3).
# Knobs: ROUNDS, CONNECTIONS (64), PIPELINE (4), WORK_US (20; 0 for plain HTTP), WRK_THREADS
# (default max(1, CPUs/4)), RINGS (default 1 2 4 ... CPUs), PEERS (default: every host:N, sockets,
# akkaio, liburing:CPUs). On a many-core machine give wrk its own CPUs with WRK_CPUS (e.g. 48-63)
# and the servers theirs with SERVER_CPUS (e.g. 0-47), and set RINGS to the server's CPU count.
# Needs wrk and, for the C peer, gcc and liburing-dev (apt-get install wrk liburing-dev).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
cpus=$(nproc)
rounds=${ROUNDS:-3}
connections=${CONNECTIONS:-64}
pipeline=${PIPELINE:-4}
work_us=${WORK_US:-20}
wrk_threads=${WRK_THREADS:-$(( cpus / 4 > 1 ? cpus / 4 : 1 ))}
if [[ -z "${RINGS:-}" ]]; then
  RINGS=""
  for ((n = 1; n < cpus; n *= 2)); do RINGS+="$n "; done
  RINGS+="$cpus"
fi
peers=${PEERS:-"$(for n in $RINGS; do printf 'host:%s ' "$n"; done)sockets akkaio liburing:$cpus"}
ulimit -n "$(ulimit -Hn)"

. tests/Uring.LoadTest/lib.sh
if ! build_peers $peers; then
  peers=$(tr ' ' '\n' <<<"$peers" | grep -v '^liburing' | tr '\n' ' ')
fi
WORK=0
[[ "$work_us" != 0 ]] && WORK=$(dotnet "$loadtest_dll" calibrate "$work_us")
client() { if [[ -n "${WRK_CPUS:-}" ]]; then taskset -c "$WRK_CPUS" "$@"; else "$@"; fi; }

echo "# $(date -u +%FT%TZ) $(uname -r), $cpus CPUs, $(dotnet --version), ${seconds}s per run, $connections connections, pipeline $pipeline, work ${work_us} us = $WORK iterations, wrk -t$wrk_threads"
echo "# round | peer | req/s | server CPU us per request | req/s over host:1"
results=$(mktemp)
for round in $(seq "$rounds"); do
  base=
  for peer in $peers; do
    start_server "$peer" http
    client wrk -t"$wrk_threads" -c"$connections" -d1s -s tests/Uring.LoadTest/pipeline.lua "http://127.0.0.1:$port/" -- "$pipeline" >/dev/null 2>&1 || true
    before=$(cpu_ticks)
    out=$(client wrk -t"$wrk_threads" -c"$connections" -d"${seconds}s" -s tests/Uring.LoadTest/pipeline.lua "http://127.0.0.1:$port/" -- "$pipeline" 2>&1)
    after=$(cpu_ticks)
    stop_server
    requests=$(grep -oP '^\s*\K\d+(?= requests in)' <<<"$out")
    rate=$(grep -oP 'Requests/sec:\s*\K[\d.]+' <<<"$out")
    [[ $peer == host:1 ]] && base=$rate
    ratio=$(awk -v r="$rate" -v b="${base:-0}" 'BEGIN { if (b > 0) printf "%.2f", r / b; else print "-" }')
    echo "$round | $peer | $rate | $(per_unit $((after - before)) "$requests") | $ratio" | tee -a "$results"
  done
done

echo "# medians over $rounds rounds: peer | req/s | server CPU us per request | req/s over host:1 (median of per-round ratios)"
for peer in $peers; do
  awk -F' \\| ' -v p="$peer" '$2 == p { r[++n] = $3; c[n] = $4; q[n] = $5 }
    function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t } return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { if (n) printf "%s | %.0f | %.1f | %.2f\n", p, median(r, n), median(c, n), median(q, n) }' "$results"
done
rm -f "$results"
