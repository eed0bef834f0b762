#!/usr/bin/env bash
# Does a small ring serve many connections? (docs/actors.md, "Sizing the ring")
#   tests/Uring.LoadTest/sizing.sh [seconds-per-run]
# HTTP/1.1 keep-alive against the host on one ring, pinned to CPU 0, with wrk pinned to CPU 1, for
# each "SQ CQ connections" case in CASES (CQ 0: the kernel's default, twice the SQ), once with
# automatic growth (Uring:Ring:GrowCompletionQueueTo = 65536, the default) and once without (0).
# Reported per run: requests per second and how many growth steps the host logged.
# Needs wrk (apt-get install wrk) and a Release build (dotnet build -c Release src/Uring.Host).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-4}
cases=${CASES:-"16 0 64|64 0 1024|256 16384 1024"}
host=src/Uring.Host/bin/Release/net10.0/Uring.Host.dll
log=$(mktemp)
trap 'rm -f "$log"' EXIT
IFS='|' read -ra runs <<< "$cases"
for run in "${runs[@]}"; do
  read -r sq cq connections <<< "$run"
  for grow in 65536 0; do
    taskset -c 0 dotnet "$host" --Uring:Ring:Count=1 --Uring:Ring:Entries="$sq" \
      --Uring:Ring:CompletionQueueEntries="$cq" --Uring:Ring:GrowCompletionQueueTo="$grow" > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8080/ && break; sleep 0.2; done
    rate=$(taskset -c 1 wrk -t1 -c"$connections" -d"${seconds}s" http://127.0.0.1:8080/ | awk '/Requests\/sec/ { print $2 }')
    kill -TERM "$pid"; wait "$pid" || true
    echo "sq $sq, cq $cq, $connections connections, grow-completion-queue-to $grow: $rate req/s, $(grep -c ' grew: ' "$log" || true) growth steps"
  done
done
