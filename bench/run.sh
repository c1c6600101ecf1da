#!/usr/bin/env bash
# Benchmarks what Devana adds on top of the LLM, side by side with a peer gateway and a bare proxy
# (docs/performance.md).
#
#   bench/run.sh            # every concurrency, streams and the memory run: under 10 minutes
#   QUICK=1 bench/run.sh    # concurrency 64 only, no memory run: under 2 minutes, for A/B work
#
# Builds Devana (Release) and three small tools (bench/MockUpstream, bench/StreamProbe, bench/ProxyFloor),
# installs the Portkey gateway from npm into bench/portkey (pinned by its package-lock.json), and starts:
#   - the mock OpenAI-compatible upstream;
#   - Devana (Production, SQLite in a fresh temporary data directory, token validation on, quotas on,
#     logging at Warning);
#   - Portkey (the open-source gateway: a pure proxy, no auth, no storage, no quotas), routed to the mock
#     with the x-portkey-provider and x-portkey-custom-host headers;
#   - ProxyFloor (a bare YARP reverse proxy to the mock: what Kestrel and HttpClient alone cost).
# Then it sends the same load to each of them, and straight to the mock ("direct"), one after the other
# at each concurrency, in the same run:
#   - a warm-up at concurrency 64 in slices, whose requests/s show how soon each process is steady;
#   - non-streaming completions with wrk: requests/s, latency p50/p90/p99, CPU ms per request;
#   - streamed completions (MOCK_TOKENS tokens at MOCK_TOKEN_RATE tokens/s) with StreamProbe: time to
#     first token and total time;
#   - the peak RSS of a fresh Devana process holding HOLD_STREAMS concurrent open streams.
# Writes bench/results/report-<timestamp>.md and prints it. Tunables (environment variables):
#   QUICK=0  CONCURRENCY="1 16 64 256"  DURATION=10 (s per run)  WARMUP_SLICES=3  WARMUP_SLICE=5 (s)
#   MOCK_TOKENS=200  MOCK_TOKEN_RATE=200  MOCK_LATENCY_MS=0  HOLD_STREAMS=1000  HOLD_TOKEN_RATE=10
#   DEVANA_PORT=5899  MOCK_PORT=5898  PORTKEY_PORT=5897  FLOOR_PORT=5896  SKIP_BUILD=0  KEEP_WORK=0
#   TARGETS="devana portkey floor direct"  (leave some out for a narrower run)
#   DEVANA_ENV="DOTNET_gcServer=0 ..."  (extra environment variables for the Devana process, e.g. GC settings)
#   TELEMETRY=0  (1: Devana exports traces and metrics over OTLP/HTTP to the mock, which answers as a
#                 collector, and serves GET /metrics; docs/observability.md gives the cost measured so)
#   PUBLISH_ARGS="-r linux-x64 --self-contained false -p:PublishReadyToRun=true"  (extra arguments to Devana's publish)
#   PROFILE=0  (1: Devana runs with perf maps (DOTNET_PerfMapEnabled=1, DOTNET_EnableWriteXorExecute=0), and after the measured runs one more
#               run (at PROFILE_CONCURRENCY) is sampled with Linux perf (installed if missing); the report lists
#               the libraries and methods that used Devana's CPU. That run is not in the figures.
#               PROFILE_CONCURRENCY=64 sets that run's concurrency: 1 shows what a lone request costs.)
# A stream lasts MOCK_TOKENS / MOCK_TOKEN_RATE seconds, so the concurrency-1 stream run lasts at least 20 s
# (20 samples at the defaults) in the full run.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bench="$repo/bench"
QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  CONCURRENCY="${CONCURRENCY:-64}"
  DURATION="${DURATION:-6}"
  WARMUP_SLICES="${WARMUP_SLICES:-2}"
  WARMUP_SLICE="${WARMUP_SLICE:-4}"
  HOLD_STREAMS="${HOLD_STREAMS:-0}"
else
  CONCURRENCY="${CONCURRENCY:-1 16 64 256}"
  DURATION="${DURATION:-10}"
  WARMUP_SLICES="${WARMUP_SLICES:-3}"
  WARMUP_SLICE="${WARMUP_SLICE:-5}"
  HOLD_STREAMS="${HOLD_STREAMS:-1000}"
fi
TARGETS="${TARGETS:-devana portkey floor direct}"
MOCK_TOKENS="${MOCK_TOKENS:-200}"
MOCK_TOKEN_RATE="${MOCK_TOKEN_RATE:-200}"
MOCK_LATENCY_MS="${MOCK_LATENCY_MS:-0}"
HOLD_TOKEN_RATE="${HOLD_TOKEN_RATE:-10}"
DEVANA_PORT="${DEVANA_PORT:-5899}"
MOCK_PORT="${MOCK_PORT:-5898}"
PORTKEY_PORT="${PORTKEY_PORT:-5897}"
FLOOR_PORT="${FLOOR_PORT:-5896}"
SKIP_BUILD="${SKIP_BUILD:-0}"
DEVANA_ENV="${DEVANA_ENV:-}"
TELEMETRY="${TELEMETRY:-0}"
PUBLISH_ARGS="${PUBLISH_ARGS:-}"
PROFILE="${PROFILE:-0}"
PROFILE_CONCURRENCY="${PROFILE_CONCURRENCY:-64}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started_at=$(date +%s)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
revision="$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo ' + uncommitted changes in src')"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work="$(mktemp -d -t devana-bench.XXXXXX)"
out="$work/out"
data="$work/data"
mkdir -p "$out" "$data" "$bench/results"
report="$bench/results/report-$stamp.md"
results="$work/results.jsonl"
: >"$results"
pids=()

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }
wants() { [[ " $TARGETS " == *" $1 "* ]]; }

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------- tools
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v jq >/dev/null || need+=(jq)
command -v openssl >/dev/null || need+=(openssl)
command -v curl >/dev/null || need+=(curl)
if [ "$PROFILE" = 1 ]; then command -v perf >/dev/null || need+=(linux-perf); fi
if wants portkey; then command -v node >/dev/null && command -v npm >/dev/null || need+=(nodejs npm); fi
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} (apt-get)"
  [ "$(id -u)" = 0 ] || die "missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root"
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------- build
if [ "$SKIP_BUILD" != 1 ]; then
  log "building Devana (Release) and the bench tools"
  # shellcheck disable=SC2086 # PUBLISH_ARGS is a list of arguments
  dotnet publish "$repo/src/Devana.Api" -c Release -o "$out/devana" --nologo -v quiet $PUBLISH_ARGS >&2
  for tool in MockUpstream StreamProbe ProxyFloor; do
    dotnet publish "$bench/$tool" -c Release -o "$out/$tool" --nologo -v quiet >&2
  done
else
  [ -d "${BUILD_DIR:-}" ] || die "SKIP_BUILD=1 needs BUILD_DIR (a directory with devana/, MockUpstream/, StreamProbe/ and ProxyFloor/)"
  out="$BUILD_DIR"
fi

# The peer: the version pinned in bench/portkey/package-lock.json, installed only when it changed.
portkey_dir="$bench/portkey"
if wants portkey && ! cmp -s "$portkey_dir/package-lock.json" "$portkey_dir/node_modules/.bench-installed-lock.json" 2>/dev/null; then
  log "installing the Portkey gateway (npm ci in bench/portkey)"
  (cd "$portkey_dir" && npm ci --no-audit --no-fund --loglevel=error >&2 && cp package-lock.json node_modules/.bench-installed-lock.json)
fi
portkey_version=$(jq -r '.packages["node_modules/@portkey-ai/gateway"].version' "$portkey_dir/package-lock.json")

# ------------------------------------------------------------------------------------------ processes
wait_http() { # url seconds
  local deadline=$(($(date +%s) + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

for port in "$MOCK_PORT" "$DEVANA_PORT" "$PORTKEY_PORT" "$FLOOR_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    die "port $port is already in use; stop what listens there or set MOCK_PORT / DEVANA_PORT / PORTKEY_PORT / FLOOR_PORT"
  fi
done

devana="http://127.0.0.1:$DEVANA_PORT"
mock="http://127.0.0.1:$MOCK_PORT"
portkey="http://127.0.0.1:$PORTKEY_PORT"
floor="http://127.0.0.1:$FLOOR_PORT"

log "starting the mock upstream on :$MOCK_PORT ($MOCK_TOKENS tokens, $MOCK_TOKEN_RATE tokens/s, ${MOCK_LATENCY_MS} ms latency)"
(cd "$out/MockUpstream" && ASPNETCORE_URLS="$mock" MOCK_TOKENS="$MOCK_TOKENS" \
  MOCK_TOKEN_RATE="$MOCK_TOKEN_RATE" MOCK_LATENCY_MS="$MOCK_LATENCY_MS" exec dotnet MockUpstream.dll) >"$work/mock.log" 2>&1 &
mock_pid=$!
pids+=("$mock_pid")
wait_http "$mock/health" 30 || die "the mock did not start: $(cat "$work/mock.log")"

portkey_pid=""
if wants portkey; then
  log "starting Portkey $portkey_version on :$PORTKEY_PORT"
  (cd "$portkey_dir" && NODE_ENV=production exec node --import ./mutable-headers.mjs \
    node_modules/@portkey-ai/gateway/build/start-server.js --port="$PORTKEY_PORT" --headless) >"$work/portkey.log" 2>&1 &
  portkey_pid=$!
  pids+=("$portkey_pid")
  wait_http "$portkey/" 30 || die "Portkey did not start: $(tail -n 20 "$work/portkey.log")"
fi

floor_pid=""
if wants floor; then
  log "starting ProxyFloor (YARP) on :$FLOOR_PORT"
  (cd "$out/ProxyFloor" && ASPNETCORE_URLS="$floor" PROXY_UPSTREAM="$mock/" exec dotnet ProxyFloor.dll) >"$work/floor.log" 2>&1 &
  floor_pid=$!
  pids+=("$floor_pid")
  wait_http "$floor/floor/health" 30 || die "ProxyFloor did not start: $(cat "$work/floor.log")"
fi

# Production needs real certificates and non-default bootstrap secrets (docs/identity.md).
certificate() { # name usage
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=Devana bench $1" -addext "keyUsage=critical,$2" \
    -keyout "$data/$1.key" -out "$data/$1.crt" >/dev/null 2>&1
  openssl pkcs12 -export -inkey "$data/$1.key" -in "$data/$1.crt" -out "$data/$1.pfx" -passout pass:bench >/dev/null 2>&1
}
certificate signing digitalSignature
certificate encryption keyEncipherment
client_secret="bench-client-secret-$(openssl rand -hex 8)"

devana_pid=""
start_devana() {
  (
    cd "$out/devana"
    export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$devana"
    export ConnectionStrings__Devana="Data Source=$data/devana.db" Devana__DataPath="$data" Devana__Files__StoragePath="$data/files"
    export Devana__Identity__AllowInsecureHttp=true
    export Devana__Identity__SigningCertificate__Path="$data/signing.pfx" Devana__Identity__SigningCertificate__Password=bench
    export Devana__Identity__EncryptionCertificate__Path="$data/encryption.pfx" Devana__Identity__EncryptionCertificate__Password=bench
    export Devana__Bootstrap__AdminPassword="bench-admin-password-1" Devana__Bootstrap__ClientId=bench Devana__Bootstrap__ClientSecret="$client_secret"
    export Devana__Llm__DefaultModel=mock
    export Devana__Llm__Providers__mock__Type=OpenAI Devana__Llm__Providers__mock__BaseUrl="$mock/v1"
    export Devana__Llm__Providers__mockslow__Type=OpenAI Devana__Llm__Providers__mockslow__BaseUrl="$mock/rate/$HOLD_TOKEN_RATE/v1"
    export Devana__Llm__Models__0__Id=mock Devana__Llm__Models__0__Provider=mock
    export Devana__Llm__Models__1__Id=mock-slow Devana__Llm__Models__1__Provider=mockslow Devana__Llm__Models__1__UpstreamModel=mock
    export Serilog__MinimumLevel__Default=Warning
    if [ "$TELEMETRY" = 1 ]; then
      export OTEL_EXPORTER_OTLP_ENDPOINT="$mock/otlp" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
      export Devana__Telemetry__Prometheus__Enabled=true
    fi
    # perf names JIT-compiled methods from the map the runtime writes, which it can only do with W^X off.
    if [ "$PROFILE" = 1 ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
    for setting in $DEVANA_ENV; do export "$setting"; done
    exec dotnet Devana.Api.dll
  ) >>"$work/devana.log" 2>&1 &
  devana_pid=$!
  pids+=("$devana_pid")
  wait_http "$devana/health/ready" "${READY_TIMEOUT:-180}" || die "Devana did not become ready: $(tail -n 30 "$work/devana.log")"
}

stop_devana() {
  kill "$devana_pid" 2>/dev/null || true
  wait "$devana_pid" 2>/dev/null || true
}

log "starting Devana on :$DEVANA_PORT (Production, SQLite in $data)"
start_devana

token=$(curl -fsS "$devana/connect/token" -d grant_type=client_credentials -d client_id=bench -d client_secret="$client_secret" | jq -r .access_token)
[ -n "$token" ] && [ "$token" != null ] || die "no access token"
for agent in 'bench mock' 'bench-slow mock-slow'; do
  set -- $agent
  curl -fsS -o /dev/null "$devana/v1/agents" -H "Authorization: Bearer $token" -H 'content-type: application/json' \
    -d "{\"id\": \"$1\", \"name\": \"Bench $1\", \"instructions\": \"You are a benchmark agent. Answer in one short paragraph.\", \"model\": \"$2\"}" \
    || die "could not create the agent $1"
done

question='What is the capital of France, and why is it famous? Answer in a short paragraph.'
system='You are a benchmark agent. Answer in one short paragraph.'
devana_body="{\"model\": \"bench\", \"messages\": [{\"role\": \"user\", \"content\": \"$question\"}]}"
devana_stream="{\"model\": \"bench\", \"stream\": true, \"stream_options\": {\"include_usage\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"$question\"}]}"
devana_hold="{\"model\": \"bench-slow\", \"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"$question\"}]}"
# What Devana itself sends upstream: the agent's instructions as a system message, then the question.
# Portkey, the floor and the mock get this body: they pass it through.
direct_body="{\"model\": \"mock\", \"temperature\": 0.8, \"max_completion_tokens\": 4096, \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"$question\"}]}"
direct_stream="{\"model\": \"mock\", \"temperature\": 0.8, \"max_completion_tokens\": 4096, \"stream\": true, \"stream_options\": {\"include_usage\": true}, \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"$question\"}]}"
portkey_headers="x-portkey-provider: openai|x-portkey-custom-host: $mock/v1|Authorization: Bearer sk-bench-unused"

# Each target: base URL, bearer token, extra headers, non-streaming body, streaming body, pid whose CPU is counted.
target_url() { case $1 in devana) echo "$devana" ;; portkey) echo "$portkey" ;; floor) echo "$floor" ;; direct) echo "$mock" ;; esac; }
target_token() { if [ "$1" = devana ]; then echo "$token"; fi; }
target_headers() { if [ "$1" = portkey ]; then echo "$portkey_headers"; fi; }
target_body() { if [ "$1" = devana ]; then echo "$devana_body"; else echo "$direct_body"; fi; }
target_stream() { if [ "$1" = devana ]; then echo "$devana_stream"; else echo "$direct_stream"; fi; }
target_pid() { case $1 in devana) echo "$devana_pid" ;; portkey) echo "$portkey_pid" ;; floor) echo "$floor_pid" ;; direct) echo "$mock_pid" ;; esac; }

# curl arguments for a target's headers (the bearer token, Portkey's routing headers).
curl_headers() { # target
  local header
  [ "$1" != devana ] || printf '%s\n' -H "Authorization: Bearer $token"
  IFS='|' read -ra header <<<"$(target_headers "$1")"
  for h in "${header[@]}"; do [ -z "$h" ] || printf '%s\n' -H "$h"; done
}

for target in $TARGETS; do
  mapfile -t headers < <(curl_headers "$target")
  check=$(curl -sS "$(target_url "$target")/v1/chat/completions" -H 'content-type: application/json' "${headers[@]}" \
    -d "$(target_body "$target")" 2>&1) || die "$target: the check completion failed: $check"
  [ "$(jq -r '.usage.completion_tokens' <<<"$check" 2>/dev/null)" = "$MOCK_TOKENS" ] || die "$target: unexpected completion: $check"
done

# --------------------------------------------------------------------------------------------- runs
record() { # kind target concurrency json
  jq -c --arg kind "$1" --arg target "$2" --argjson c "$3" '. + {kind: $kind, target: $target, concurrency: $c}' <<<"$4" >>"$results"
}

# Stops the run, with the end of its log, if a process has gone.
check_alive() { # target
  local pid
  pid=$(target_pid "$1")
  [ -r "/proc/$pid/stat" ] || die "$1 (pid $pid) has exited; the end of its log:
$(tail -n 40 "$work/$([ "$1" = direct ] && echo mock || echo "$1").log")"
}

# CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / tck}' "/proc/$1/stat"; }

# Runs a load command against a target and adds that process's CPU milliseconds per completed request.
with_cpu() { # target command...
  local target=$1 pid before after json
  shift
  check_alive "$target"
  pid=$(target_pid "$target")
  before=$(cpu_seconds "$pid")
  json=$("$@")
  check_alive "$target"
  after=$(cpu_seconds "$pid")
  jq -c --argjson before "$before" --argjson after "$after" \
    '. + {cpu_ms_per_request: (if (.requests // 0) > 0 then ((($after - $before) * 1000 / .requests) * 100 | round) / 100 else null end)}' <<<"$json"
}

wrk_run() { # target concurrency seconds
  local threads=$(($2 < 2 ? 1 : 2))
  BENCH_TOKEN="$(target_token "$1")" BENCH_HEADERS="$(target_headers "$1")" BENCH_BODY="$(target_body "$1")" \
    wrk -t"$threads" -c"$2" -d"$3"s --timeout 30s -s "$bench/lua/post.lua" "$(target_url "$1")/v1/chat/completions" | sed -n 's/^BENCH_JSON //p'
}

probe() { dotnet "$out/StreamProbe/StreamProbe.dll" "$@"; }

probe_run() { # target concurrency seconds
  probe --url "$(target_url "$1")/v1/chat/completions" --token "$(target_token "$1")" --headers "$(target_headers "$1")" \
    --body "$(target_stream "$1")" --concurrency "$2" --duration "$3"
}

# Warm-up: WARMUP_SLICES slices of WARMUP_SLICE s at concurrency 64, each recorded, so the report shows
# how soon each process reaches its steady figure (the mock gets one slice: it is warmed by all the rest).
log "warm-up: $WARMUP_SLICES × ${WARMUP_SLICE} s at concurrency 64 for each target"
for target in $TARGETS; do
  slices=$WARMUP_SLICES
  [ "$target" = direct ] && slices=1
  for slice in $(seq 1 "$slices"); do
    record warmup "$target" "$slice" "$(with_cpu "$target" wrk_run "$target" 64 "$WARMUP_SLICE")"
  done
done

for c in $CONCURRENCY; do
  for target in $TARGETS; do
    log "non-streaming at concurrency $c: $target"
    record whole "$target" "$c" "$(with_cpu "$target" wrk_run "$target" "$c" "$DURATION")"
  done
done

for c in $CONCURRENCY; do
  seconds=$DURATION
  if [ "$c" -eq 1 ] && [ "$seconds" -lt 20 ]; then seconds=20; fi
  for target in $TARGETS; do
    log "streaming at concurrency $c (${seconds} s): $target"
    record stream "$target" "$c" "$(with_cpu "$target" probe_run "$target" "$c" "$seconds")"
  done
done

# A profile: Linux perf samples Devana's CPU (cpu-clock, 499 Hz, every thread) through one more run at
# PROFILE_CONCURRENCY; the perf map the runtime writes names the JIT-compiled methods.
if wants devana && [ "$PROFILE" = 1 ]; then
  log "profile: perf on Devana through $DURATION s at concurrency $PROFILE_CONCURRENCY (not in the figures)"
  perf record -e cpu-clock -F 499 -g -p "$devana_pid" -o "$work/perf.data" -- sleep "$DURATION" >"$work/perf.log" 2>&1 &
  perf_pid=$!
  wrk_run devana "$PROFILE_CONCURRENCY" "$DURATION" >/dev/null
  if wait "$perf_pid"; then
    perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none --percent-limit 1 2>/dev/null | grep -v '^#' | sed '/^$/d' >"$work/profile-dso.txt" || true
    perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none --percent-limit 0.4 2>/dev/null | grep -v '^#' | sed '/^$/d' | cut -c1-160 >"$work/profile-sym.txt" || true
    # The JIT-compiled code by .NET assembly: perf map symbols read "<return type> [<assembly>] <method>".
    perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null \
      | sed -n 's/^ *\([0-9.]*\)%.*\[JIT\].*\[\.\] [^[]*\[\([^]]*\)\].*/\2 \1/p' \
      | awk '{sum[$1] += $2} END {for (a in sum) if (sum[a] >= 0.5) printf "%8.2f%%  %s\n", sum[a], a}' | sort -rn >"$work/profile-assembly.txt" || true
  else
    log "perf failed: $(tail -n 5 "$work/perf.log")"
  fi
fi

if wants devana && [ "$HOLD_STREAMS" -gt 0 ]; then
  log "memory: a fresh Devana holding $HOLD_STREAMS open streams"
  stop_devana
  start_devana
  curl -fsS -o /dev/null "$devana/v1/chat/completions" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$devana_body"
  idle_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$devana_pid/status")
  hold=$(probe --url "$devana/v1/chat/completions" --token "$token" --body "$devana_hold" --open "$HOLD_STREAMS" --watch-pid "$devana_pid" --timeout 120)
  record hold devana "$HOLD_STREAMS" "$(jq -c --argjson idle "$idle_rss" '. + {idle_rss_kb: $idle}' <<<"$hold")"
  stop_devana
fi

# ------------------------------------------------------------------------------------------- report
finished_at=$(date +%s)
load_at_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# Devana benchmark — $stamp${QUICK:+$( [ "$QUICK" = 1 ] && echo ' (QUICK)')}"
  echo
  echo "- Machine: $(nproc) CPU cores ($cpu_model), $(awk '/^MemTotal:/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load average at the start: $load_at_start, at the end: $load_at_end (the machine is shared: other processes add noise)"
  echo "- Devana: commit $revision, Release, Production, SQLite, token-entry validation and quotas on, logging at Warning; telemetry $( [ "$TELEMETRY" = 1 ] && echo 'on (OTLP/HTTP traces and metrics to the mock, /metrics served)' || echo off); .NET $(dotnet --version)${DEVANA_ENV:+; extra environment: $DEVANA_ENV}${PUBLISH_ARGS:+; published with: $PUBLISH_ARGS}$( [ "$PROFILE" = 1 ] && echo '; perf maps on and W^X off for the profile (PROFILE=1)')"
  echo "- Portkey: @portkey-ai/gateway $portkey_version on Node.js $(node --version 2>/dev/null || echo '?') (NODE_ENV=production, headless), routed with x-portkey-provider: openai and x-portkey-custom-host; floor: bench/ProxyFloor (YARP, no auth, no storage)"
  echo "- Upstream: bench/MockUpstream on the same machine, ${MOCK_LATENCY_MS} ms latency, $MOCK_TOKENS tokens per answer, streams at $MOCK_TOKEN_RATE tokens/s (one SSE event per token)"
  echo "- Load: wrk (non-streaming) and bench/StreamProbe (streaming), closed loop, ${DURATION} s per run, targets one after the other at each concurrency; warm-up: $WARMUP_SLICES × ${WARMUP_SLICE} s at concurrency 64 per target (below); load generator, mock and targets share the $(nproc) cores"
  echo "- \"direct\" is the same load sent straight to the mock; \"added\" is a target's latency minus direct's at the same percentile; CPU ms/req is the target process's own CPU (user + system) over the run, divided by the requests it completed"
  echo
  echo "## Warm-up: requests/s at concurrency 64, slice by slice after start"
  echo
  echo "| target | $(seq 1 "$WARMUP_SLICES" | awk -v s="$WARMUP_SLICE" '{printf "%s%d–%d s", (NR > 1 ? " | " : ""), ($1 - 1) * s, $1 * s}') | measured at c=64 |"
  echo "|---|$(seq 1 "$WARMUP_SLICES" | awk '{printf "---:|"}')---:|"
  jq -rs --argjson n "$WARMUP_SLICES" '. as $all | map(select(.kind == "warmup")) | group_by(.target)[]
    | . as $slices | ($all | map(select(.kind == "whole" and .target == $slices[0].target and .concurrency == 64))[0].rps) as $steady
    | "| \($slices[0].target) | \([range(1; $n + 1)] | map(. as $i | ($slices | map(select(.concurrency == $i))[0].rps // "–") | tostring) | join(" | ")) | \($steady // "–") |"' "$results"
  echo
  echo "## Non-streaming completions: throughput and CPU"
  echo
  echo "| concurrency | req/s Devana / Portkey / floor / direct | **Devana ÷ Portkey** | CPU ms/req Devana / Portkey / floor | Devana CPU above the floor (ms/req) | errors (D / P / F) |"
  echo "|---:|---|---:|---|---:|---|"
  jq -rs 'def r(n): ((. * n) | round) / n;
    group_by(.concurrency)[] | map(select(.kind == "whole")) | select(length > 0)
    | (map({key: .target, value: .}) | from_entries) as $t
    | "| \(.[0].concurrency) | \($t.devana.rps // "–") / \($t.portkey.rps // "–") / \($t.floor.rps // "–") / \($t.direct.rps // "–") | \(if $t.devana and $t.portkey then ($t.devana.rps / $t.portkey.rps | r(100)) else "–" end) | \($t.devana.cpu_ms_per_request // "–") / \($t.portkey.cpu_ms_per_request // "–") / \($t.floor.cpu_ms_per_request // "–") | \(if $t.devana and $t.floor then ($t.devana.cpu_ms_per_request - $t.floor.cpu_ms_per_request | r(100)) else "–" end) | \([$t.devana, $t.portkey, $t.floor] | map(if . then (.non2xx + .socket_errors | tostring) else "–" end) | join(" / ")) |"' "$results"
  echo
  echo "## Non-streaming completions: latency (ms)"
  echo
  echo "| concurrency | p50 Devana / Portkey / floor / direct | p99 Devana / Portkey / floor / direct | added p50 Devana / Portkey / floor | added p99 Devana / Portkey / floor | Devana ÷ Portkey, p99 |"
  echo "|---:|---|---|---|---|---:|"
  jq -rs 'def r(n): ((. * n) | round) / n;
    group_by(.concurrency)[] | map(select(.kind == "whole")) | select(length > 0)
    | (map({key: .target, value: .}) | from_entries) as $t
    | def added(x; p): if x and $t.direct then (x[p] - $t.direct[p] | r(100) | tostring) else "–" end;
    "| \(.[0].concurrency) | \([$t.devana, $t.portkey, $t.floor, $t.direct] | map(if . then (.p50_ms | r(100) | tostring) else "–" end) | join(" / ")) | \([$t.devana, $t.portkey, $t.floor, $t.direct] | map(if . then (.p99_ms | r(100) | tostring) else "–" end) | join(" / ")) | \(added($t.devana; "p50_ms")) / \(added($t.portkey; "p50_ms")) / \(added($t.floor; "p50_ms")) | \(added($t.devana; "p99_ms")) / \(added($t.portkey; "p99_ms")) / \(added($t.floor; "p99_ms")) | \(if $t.devana and $t.portkey then ($t.devana.p99_ms / $t.portkey.p99_ms | r(100)) else "–" end) |"' "$results"
  echo
  echo "## Streamed completions ($MOCK_TOKENS tokens at $MOCK_TOKEN_RATE tokens/s)"
  echo
  echo "| concurrency | streams/s Devana / Portkey / floor / direct | TTFT p50 Devana / Portkey / floor / direct (ms) | added TTFT p50 Devana / Portkey / floor (ms) | TTFT p99 Devana / Portkey / floor / direct (ms) | total p50 Devana / Portkey / floor / direct (ms) | CPU ms/stream Devana / Portkey / floor | errors (D / P / F) |"
  echo "|---:|---|---|---|---|---|---|---|"
  jq -rs 'def r(n): ((. * n) | round) / n;
    group_by(.concurrency)[] | map(select(.kind == "stream")) | select(length > 0)
    | (map({key: .target, value: .}) | from_entries) as $t
    | def all(f): [$t.devana, $t.portkey, $t.floor, $t.direct] | map(if . then (f | tostring) else "–" end) | join(" / ");
      def three(f): [$t.devana, $t.portkey, $t.floor] | map(if . then (f | tostring) else "–" end) | join(" / ");
    "| \(.[0].concurrency) | \(all(.streams_per_second)) | \(all(.ttft_p50_ms)) | \(three(if $t.direct and .ttft_p50_ms then (.ttft_p50_ms - $t.direct.ttft_p50_ms | r(100)) else "–" end)) | \(all(.ttft_p99_ms)) | \(all(.total_p50_ms)) | \(three(.cpu_ms_per_request)) | \(three(.errors)) |"' "$results"
  if [ "$HOLD_STREAMS" -gt 0 ] && wants devana; then
    echo
    echo "## Memory: $HOLD_STREAMS concurrent streams"
    echo
    jq -rs --argjson rate "$HOLD_TOKEN_RATE" --argjson tokens "$MOCK_TOKENS" 'map(select(.kind == "hold"))[0]
      | "A fresh Devana process, after one warm-up completion (RSS \(.idle_rss_kb / 1024 | round) MB), opened \(.concurrency) streams at once (\($tokens) tokens at \($rate) tokens/s each).\n\n"
      + "| streams open at once (max) | completed | errors | TTFT p50 / p99 (ms) | max VmRSS while open | peak RSS (VmHWM) |\n|---:|---:|---:|---|---:|---:|\n"
      + "| \(.max_open_streams) | \(.requests) | \(.errors) | \(.ttft_p50_ms) / \(.ttft_p99_ms) | \(.max_vm_rss_kb / 1024 | round) MB | \(.vm_hwm_kb / 1024 | round) MB |"' "$results"
  fi
  if [ -s "$work/profile-dso.txt" ]; then
    echo
    echo "## Profile: Devana's CPU at concurrency $PROFILE_CONCURRENCY"
    echo
    echo "Linux perf (cpu-clock at 499 Hz, all of Devana's threads) through one more run of $DURATION s, not in the figures above. By library, then the JIT-compiled code by .NET assembly, then by method (at least 0.4% of the samples):"
    echo
    echo '```'
    cat "$work/profile-dso.txt"
    echo
    echo "JIT-compiled code by .NET assembly (at least 0.5% of the samples):"
    cat "$work/profile-assembly.txt"
    echo
    cat "$work/profile-sym.txt"
    echo '```'
  fi
  echo
  echo "## Goals (issue 12)"
  echo
  jq -rs --argjson slice "$WARMUP_SLICE" '
    def r(n): ((. * n) | round) / n;
    def row(c; k; t): map(select(.kind == k and .target == t and .concurrency == c))[0];
    def verdict(ok): if ok then "met" else "**missed**" end;
    . as $all
    | (if row(64; "whole"; "devana") and row(64; "whole"; "portkey") then
        (row(64; "whole"; "devana")) as $d | (row(64; "whole"; "portkey")) as $p
        | "- Completions/s at concurrency 64: Devana \($d.rps), Portkey \($p.rps): \($d.rps / $p.rps | r(100))× (goal ≥ 2×): \(verdict($d.rps >= 2 * $p.rps)); p99 \($d.p99_ms | r(10)) vs \($p.p99_ms | r(10)) ms (goal: no worse): \(verdict($d.p99_ms <= $p.p99_ms))" else empty end),
      (if row(64; "whole"; "devana") then row(64; "whole"; "devana").cpu_ms_per_request as $c
        | "- Devana CPU per completion at concurrency 64: \($c) ms (goal ≤ 1.0 ms): \(verdict($c <= 1.0))" else empty end),
      (if row(1; "whole"; "devana") and row(1; "whole"; "direct") then
        (row(1; "whole"; "devana").p50_ms - row(1; "whole"; "direct").p50_ms) as $a
        | "- Added p50, non-streaming, concurrency 1: \($a | r(100)) ms (goal ≤ 1 ms): \(verdict($a <= 1))" else empty end),
      (if row(1; "stream"; "devana") and row(1; "stream"; "direct") then
        (row(1; "stream"; "devana").ttft_p50_ms - row(1; "stream"; "direct").ttft_p50_ms) as $a
        | "- Added TTFT p50, concurrency 1: \($a | r(100)) ms (goal ≤ 1 ms): \(verdict($a <= 1))" else empty end),
      (map(select(.kind == "hold"))[0] // empty | (.vm_hwm_kb / 1024 | round) as $m
        | "- Peak RSS with \(.concurrency) streams: \($m) MB (goal: 1,000 streams in < 300 MB): \(if .concurrency < 1000 then "not comparable (fewer streams)" else verdict($m < 300 and .max_open_streams >= .concurrency) end)"),
      (if row(64; "whole"; "devana") then
        row(64; "whole"; "devana").rps as $steady
        | ($all | map(select(.kind == "warmup" and .target == "devana")) | sort_by(.concurrency)) as $w
        | ($w | map(select(.concurrency * $slice > 10)) | .[0]) as $after
        | ($w | map(select(.concurrency * $slice <= 10)) | last) as $by10
        | if $by10 then "- Steady within 10 s of start: Devana served \($by10.rps) req/s in the slice ending at \($by10.concurrency * $slice) s, \($by10.rps / $steady * 100 | round)% of its measured \($steady) (goal ≥ 90%): \(verdict($by10.rps >= 0.9 * $steady))" else empty end
        else empty end)' "$results"
  echo
  echo "Run took $((finished_at - started_at)) s. Raw results (one JSON object per run):"
  echo
  echo '```'
  cat "$results"
  echo '```'
} >"$report"

cat "$report"
echo >&2
log "report written to ${report#"$repo/"}"
