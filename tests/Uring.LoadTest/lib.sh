# Shared by run-all.sh and scale.sh (sourced, not run): building the peers, starting and stopping
# a server, and reading its CPU time. Callers set SERVER_CPUS ("0" pins the server to CPU 0; empty
# leaves it unpinned) and WORK (SimulatedWork iterations per HTTP request; 0 for none).
# Peers:
#   host      the Uring.Host service as shipped (Uring:Ring:Count = auto: one ring per CPU it may use)
#   host:N    the same with N rings (Uring:Ring:Count=N)
#   host-base the host built from another commit (BASE_HOST_DLL=path/to/Uring.Host.dll), for paired before/after runs
#   host-pool:N   host:N with the handlers on Akka's default dispatcher (Uring:Services:<Name>:OnRingLoop=false)
#   host-tiered:N host:N with tiered compilation back on (DOTNET_TieredCompilation=1, the .NET default)
#   ring      a responder written directly on Uring.Ring's object API (one thread, no actors)
#   sockets   System.Net.Sockets async (accept loop, one receive/send loop per connection)
#   akkaio    the host's own service actors on Akka.IO's TCP instead of UringTcp
#   liburing  C on liburing (tests/Uring.Benchmarks/reference/liburing_server.c), one ring
#   liburing:N  the same with N threads, a ring and a SO_REUSEPORT listener each
SERVER_CPUS=${SERVER_CPUS-}
WORK=${WORK:-0}
host_dll=src/Uring.Host/bin/Release/net10.0/Uring.Host.dll
loadtest_dll=tests/Uring.LoadTest/bin/Release/net10.0/Uring.LoadTest.dll
c_server=/tmp/uring-loadtest-liburing-server
ticks=$(getconf CLK_TCK)
server_pid=
port=${PORT_BASE:-19000}

build_peers() { # peers...
  dotnet build -c Release src/Uring.Host -v quiet -nologo >/dev/null
  dotnet build -c Release tests/Uring.LoadTest -v quiet -nologo >/dev/null
  if [[ " $* " == *" liburing"* ]] && ! gcc -O2 -Wall -o "$c_server" tests/Uring.Benchmarks/reference/liburing_server.c -luring -lpthread 2>/dev/null; then
    echo "# liburing peers skipped: gcc or liburing-dev missing" >&2
    return 1
  fi
}

exec 7< <(exec sleep infinity) # a stdin that never ends, for the C server (it stops at EOF)
keeper=$!
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null || true
  kill "$keeper" 2>/dev/null || true
}
trap cleanup EXIT

# Runs "$@" pinned to SERVER_CPUS; exec, so that a caller backgrounding it gets the server's own pid in $!.
pin() { if [[ -n "$SERVER_CPUS" ]]; then exec taskset -c "$SERVER_CPUS" "$@"; else exec "$@"; fi; }

start_server() { # peer protocol
  local peer=$1 protocol=$2
  port=$((port + 1))
  case $peer in
    host | host:* | host-base | host-pool:* | host-tiered:*)
      local other=Echo; [[ $protocol == echo ]] && other=Http
      local service=Http; [[ $protocol == echo ]] && service=Echo
      local options=(); [[ $peer == *:* ]] && options=("--Uring:Ring:Count=${peer#*:}")
      [[ $peer == host-pool:* ]] && options+=("--Uring:Services:$service:OnRingLoop=false")
      local tiered=0; [[ $peer == host-tiered:* ]] && tiered=1
      local dll=$host_dll; [[ $peer == host-base ]] && dll=${BASE_HOST_DLL:?host-base needs BASE_HOST_DLL}
      DOTNET_TieredCompilation=$tiered pin dotnet "$dll" "--Uring:Services:$service:Endpoint=127.0.0.1:$port" "--Uring:Services:$other:Enabled=false" \
        "--Uring:Services:Http:WorkIterations=$WORK" "${options[@]}" --Serilog:MinimumLevel:Default=Warning >/dev/null 2>&1 &
      ;;
    liburing | liburing:*)
      local threads=1; [[ $peer == liburing:* ]] && threads=${peer#liburing:}
      pin "$c_server" "$protocol" "$port" "$threads" "$WORK" <&7 >/dev/null 2>&1 &
      ;;
    *) pin dotnet "$loadtest_dll" server "$peer" "$protocol" "$port" "$WORK" >/dev/null 2>&1 & ;;
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
