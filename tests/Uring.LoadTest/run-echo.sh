#!/usr/bin/env bash
# TCP echo: each server under test pinned to CPU 0, the load generator (a separate process) to CPU 1.
# Prints messages/s and the server's CPU microseconds per message (from /proc/PID/stat).
# Usage: tests/Uring.LoadTest/run-echo.sh [seconds] [connections...] ; sizes are 64 B, 4 KiB, 64 KiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
shift || true
connections=${*:-1 64 1024}
dotnet build -c Release tests/Uring.LoadTest -v quiet -nologo >/dev/null
dll=tests/Uring.LoadTest/bin/Release/net10.0/Uring.LoadTest.dll
ticks=$(getconf CLK_TCK)
port=17007
for server in uring akkaio; do
  for conns in $connections; do
    for size in 64 4096 65536; do
      port=$((port + 1))
      coproc SERVER { exec taskset -c 0 dotnet "$dll" echo-server "$server" "$port"; }
      pid=$SERVER_PID
      read -r ready <&"${SERVER[0]}"
      start=$(awk '{print $14 + $15}' /proc/$pid/stat)
      result=$(taskset -c 1 dotnet "$dll" echo-client "$port" "$conns" "$size" "$seconds")
      end=$(awk '{print $14 + $15}' /proc/$pid/stat)
      messages=$(sed -E 's/.*messages=([0-9]+).*/\1/' <<<"$result")
      cpu_us=$(( (end - start) * 1000000 / ticks ))
      echo "server=$server $result server_cpu_us_per_msg=$(awk -v c=$cpu_us -v m=$messages 'BEGIN{printf "%.1f", c/m}')"
      exec {SERVER[1]}>&-
      wait "$pid" 2>/dev/null || true
    done
  done
done
