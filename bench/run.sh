#!/usr/bin/env bash
# Benchmarks what Devana adds on top of the LLM (issue 8; docs/performance.md).
#
#   bench/run.sh
#
# Builds Devana (Release) and two small tools (bench/MockUpstream, bench/StreamProbe), starts a mock
# OpenAI-compatible upstream and Devana (Production, SQLite in a fresh temporary data directory, token
# validation on, logging at Warning), then sends the same load to Devana and straight to the mock:
#   - non-streaming completions with wrk at each concurrency: requests/s, latency p50/p90/p99;
#   - streamed completions (MOCK_TOKENS tokens at MOCK_TOKEN_RATE tokens/s) with StreamProbe: time to
#     first token and total time;
#   - the peak RSS of a fresh Devana process holding HOLD_STREAMS concurrent open streams.
# Writes bench/results/report-<timestamp>.md and prints it. Tunables (environment variables):
#   CONCURRENCY="1 16 64 256"  DURATION=10 (s per run)  WARMUP=8 (s)  MOCK_TOKENS=200  MOCK_TOKEN_RATE=200
#   MOCK_LATENCY_MS=0  HOLD_STREAMS=1000  HOLD_TOKEN_RATE=10  DEVANA_PORT=5899  MOCK_PORT=5898  SKIP_BUILD=0
#   DEVANA_ENV="DOTNET_gcServer=0 ..."  (extra environment variables for the Devana process, e.g. GC settings)
# A stream lasts MOCK_TOKENS / MOCK_TOKEN_RATE seconds, so the concurrency-1 stream run lasts at least 20 s
# (20 samples at the defaults).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bench="$repo/bench"
CONCURRENCY="${CONCURRENCY:-1 16 64 256}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-8}"
MOCK_TOKENS="${MOCK_TOKENS:-200}"
MOCK_TOKEN_RATE="${MOCK_TOKEN_RATE:-200}"
MOCK_LATENCY_MS="${MOCK_LATENCY_MS:-0}"
HOLD_STREAMS="${HOLD_STREAMS:-1000}"
HOLD_TOKEN_RATE="${HOLD_TOKEN_RATE:-10}"
DEVANA_PORT="${DEVANA_PORT:-5899}"
MOCK_PORT="${MOCK_PORT:-5898}"
SKIP_BUILD="${SKIP_BUILD:-0}"
DEVANA_ENV="${DEVANA_ENV:-}"

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
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]} (apt-get)"
  [ "$(id -u)" = 0 ] || die "missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root"
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------- build
if [ "$SKIP_BUILD" != 1 ]; then
  log "building Devana (Release) and the bench tools"
  dotnet publish "$repo/src/Devana.Api" -c Release -o "$out/devana" --nologo -v quiet >&2
  dotnet publish "$bench/MockUpstream" -c Release -o "$out/mock" --nologo -v quiet >&2
  dotnet publish "$bench/StreamProbe" -c Release -o "$out/probe" --nologo -v quiet >&2
else
  [ -d "${BUILD_DIR:-}" ] || die "SKIP_BUILD=1 needs BUILD_DIR (a directory with devana/, mock/ and probe/)"
  out="$BUILD_DIR"
fi

# ------------------------------------------------------------------------------------------ processes
wait_http() { # url seconds
  local deadline=$(($(date +%s) + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

for port in "$MOCK_PORT" "$DEVANA_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    die "port $port is already in use; stop what listens there or set MOCK_PORT / DEVANA_PORT"
  fi
done

log "starting the mock upstream on :$MOCK_PORT ($MOCK_TOKENS tokens, $MOCK_TOKEN_RATE tokens/s, ${MOCK_LATENCY_MS} ms latency)"
(cd "$out/mock" && ASPNETCORE_URLS="http://127.0.0.1:$MOCK_PORT" MOCK_TOKENS="$MOCK_TOKENS" \
  MOCK_TOKEN_RATE="$MOCK_TOKEN_RATE" MOCK_LATENCY_MS="$MOCK_LATENCY_MS" exec dotnet MockUpstream.dll) >"$work/mock.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start: $(cat "$work/mock.log")"

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
    export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$DEVANA_PORT"
    export ConnectionStrings__Devana="Data Source=$data/devana.db" Devana__DataPath="$data" Devana__Files__StoragePath="$data/files"
    export Devana__Identity__AllowInsecureHttp=true
    export Devana__Identity__SigningCertificate__Path="$data/signing.pfx" Devana__Identity__SigningCertificate__Password=bench
    export Devana__Identity__EncryptionCertificate__Path="$data/encryption.pfx" Devana__Identity__EncryptionCertificate__Password=bench
    export Devana__Bootstrap__AdminPassword="bench-admin-password-1" Devana__Bootstrap__ClientId=bench Devana__Bootstrap__ClientSecret="$client_secret"
    export Devana__Llm__DefaultModel=mock
    export Devana__Llm__Providers__mock__Type=OpenAI Devana__Llm__Providers__mock__BaseUrl="http://127.0.0.1:$MOCK_PORT/v1"
    export Devana__Llm__Providers__mockslow__Type=OpenAI Devana__Llm__Providers__mockslow__BaseUrl="http://127.0.0.1:$MOCK_PORT/rate/$HOLD_TOKEN_RATE/v1"
    export Devana__Llm__Models__0__Id=mock Devana__Llm__Models__0__Provider=mock
    export Devana__Llm__Models__1__Id=mock-slow Devana__Llm__Models__1__Provider=mockslow Devana__Llm__Models__1__UpstreamModel=mock
    export Serilog__MinimumLevel__Default=Warning
    for setting in $DEVANA_ENV; do export "$setting"; done
    exec dotnet Devana.Api.dll
  ) >>"$work/devana.log" 2>&1 &
  devana_pid=$!
  pids+=("$devana_pid")
  wait_http "http://127.0.0.1:$DEVANA_PORT/health/ready" 60 || die "Devana did not become ready: $(tail -n 30 "$work/devana.log")"
}

stop_devana() {
  kill "$devana_pid" 2>/dev/null || true
  wait "$devana_pid" 2>/dev/null || true
}

log "starting Devana on :$DEVANA_PORT (Production, SQLite in $data)"
start_devana
devana="http://127.0.0.1:$DEVANA_PORT"
mock="http://127.0.0.1:$MOCK_PORT"

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
direct_body="{\"model\": \"mock\", \"temperature\": 0.8, \"max_completion_tokens\": 4096, \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"$question\"}]}"
direct_stream="{\"model\": \"mock\", \"temperature\": 0.8, \"max_completion_tokens\": 4096, \"stream\": true, \"stream_options\": {\"include_usage\": true}, \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"$question\"}]}"

check=$(curl -fsS "$devana/v1/chat/completions" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$devana_body")
[ "$(jq -r '.usage.completion_tokens' <<<"$check")" = "$MOCK_TOKENS" ] || die "unexpected completion: $check"

# --------------------------------------------------------------------------------------------- runs
record() { # kind target concurrency json
  jq -c --arg kind "$1" --arg target "$2" --argjson c "$3" '. + {kind: $kind, target: $target, concurrency: $c}' <<<"$4" >>"$results"
}

# Stops the run, with the end of Devana's log, if the Devana process has gone.
check_devana() {
  [ -r "/proc/$devana_pid/stat" ] || die "Devana (pid $devana_pid) has exited; the end of its log:
$(tail -n 40 "$work/devana.log")"
}

# CPU seconds (user + system) Devana has used so far, from /proc/<pid>/stat.
cpu_seconds() { check_devana; awk -v tck="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15) / tck}' "/proc/$devana_pid/stat"; }

# Runs a load command against Devana and adds Devana's CPU milliseconds per completed request.
with_cpu() { # command...
  local before after json
  before=$(cpu_seconds)
  json=$("$@")
  after=$(cpu_seconds)
  jq -c --argjson before "$before" --argjson after "$after" \
    '. + {cpu_ms_per_request: (if (.requests // 0) > 0 then ((($after - $before) * 1000 / .requests) * 100 | round) / 100 else null end)}' <<<"$json"
}

wrk_run() { # url token body concurrency seconds
  local threads=$(($4 < 2 ? 1 : 2))
  BENCH_TOKEN="$2" BENCH_BODY="$3" wrk -t"$threads" -c"$4" -d"$5"s --timeout 30s -s "$bench/lua/post.lua" "$1" | sed -n 's/^BENCH_JSON //p'
}

probe() { dotnet "$out/probe/StreamProbe.dll" "$@"; }

log "non-streaming: warm-up (${WARMUP} s; lets tiered compilation settle)"
wrk_run "$devana/v1/chat/completions" "$token" "$devana_body" 16 "$WARMUP" >/dev/null
wrk_run "$mock/v1/chat/completions" "" "$direct_body" 16 3 >/dev/null
for c in $CONCURRENCY; do
  log "non-streaming at concurrency $c"
  record whole devana "$c" "$(with_cpu wrk_run "$devana/v1/chat/completions" "$token" "$devana_body" "$c" "$DURATION")"
  record whole direct "$c" "$(wrk_run "$mock/v1/chat/completions" "" "$direct_body" "$c" "$DURATION")"
  check_devana
done

log "streaming: warm-up"
probe --url "$devana/v1/chat/completions" --token "$token" --body "$devana_stream" --concurrency 16 --duration "$WARMUP" >/dev/null
probe --url "$mock/v1/chat/completions" --body "$direct_stream" --concurrency 16 --duration 3 >/dev/null
for c in $CONCURRENCY; do
  seconds=$DURATION
  if [ "$c" -eq 1 ] && [ "$seconds" -lt 20 ]; then seconds=20; fi
  log "streaming at concurrency $c (${seconds} s)"
  record stream devana "$c" "$(with_cpu probe --url "$devana/v1/chat/completions" --token "$token" --body "$devana_stream" --concurrency "$c" --duration "$seconds")"
  record stream direct "$c" "$(probe --url "$mock/v1/chat/completions" --body "$direct_stream" --concurrency "$c" --duration "$seconds")"
  check_devana
done

log "memory: a fresh Devana holding $HOLD_STREAMS open streams"
stop_devana
start_devana
curl -fsS -o /dev/null "$devana/v1/chat/completions" -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$devana_body"
idle_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$devana_pid/status")
hold=$(probe --url "$devana/v1/chat/completions" --token "$token" --body "$devana_hold" --open "$HOLD_STREAMS" --watch-pid "$devana_pid" --timeout 120)
record hold devana "$HOLD_STREAMS" "$(jq -c --argjson idle "$idle_rss" '. + {idle_rss_kb: $idle}' <<<"$hold")"
stop_devana

# ------------------------------------------------------------------------------------------- report
finished_at=$(date +%s)
cpu_model=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
{
  echo "# Devana benchmark — $stamp"
  echo
  echo "- Machine: $(nproc) CPU cores ($cpu_model), $(awk '/^MemTotal:/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; load average at the start: $load_at_start (the machine is shared: other processes add noise)"
  echo "- Devana: commit $revision, Release, Production, SQLite, token-entry validation on, logging at Warning; .NET $(dotnet --version)${DEVANA_ENV:+; extra environment: $DEVANA_ENV}"
  echo "- Upstream: bench/MockUpstream on the same machine, ${MOCK_LATENCY_MS} ms latency, $MOCK_TOKENS tokens per answer, streams at $MOCK_TOKEN_RATE tokens/s (one SSE event per token)"
  echo "- Load: wrk (non-streaming) and bench/StreamProbe (streaming), ${DURATION} s per run after a ${WARMUP} s warm-up, closed loop; load generator, mock and Devana share the $(nproc) cores"
  echo "- \"direct\" is the same load sent straight to the mock; \"added\" is Devana minus direct, \"×\" is Devana / direct"
  echo
  echo "## Non-streaming completions"
  echo
  echo "| concurrency | Devana req/s | direct req/s | Devana p50 / p90 / p99 (ms) | direct p50 / p90 / p99 (ms) | added p50 (ms) | × p50 | Devana CPU ms/req | errors |"
  echo "|---:|---:|---:|---|---|---:|---:|---:|---:|"
  jq -rs 'group_by(.concurrency)[] | map(select(.kind == "whole")) | select(length == 2)
    | (map(select(.target == "devana"))[0]) as $d | (map(select(.target == "direct"))[0]) as $m
    | "| \($d.concurrency) | \($d.rps) | \($m.rps) | \($d.p50_ms) / \($d.p90_ms) / \($d.p99_ms) | \($m.p50_ms) / \($m.p90_ms) / \($m.p99_ms) | \((($d.p50_ms - $m.p50_ms) * 100 | round) / 100) | \((($d.p50_ms / $m.p50_ms) * 10 | round) / 10) | \($d.cpu_ms_per_request) | \($d.non2xx + $d.socket_errors) |"' "$results"
  echo
  echo "## Streamed completions ($MOCK_TOKENS tokens at $MOCK_TOKEN_RATE tokens/s)"
  echo
  echo "| concurrency | streams/s (Devana / direct) | TTFT p50 / p90 / p99, Devana (ms) | TTFT p50 / p90 / p99, direct (ms) | added TTFT p50 (ms) | total p50 / p99, Devana (ms) | total p50 / p99, direct (ms) | added total p50 (ms) | Devana CPU ms/stream | errors |"
  echo "|---:|---|---|---|---:|---|---|---:|---:|---:|"
  jq -rs 'group_by(.concurrency)[] | map(select(.kind == "stream")) | select(length == 2)
    | (map(select(.target == "devana"))[0]) as $d | (map(select(.target == "direct"))[0]) as $m
    | "| \($d.concurrency) | \($d.streams_per_second) / \($m.streams_per_second) | \($d.ttft_p50_ms) / \($d.ttft_p90_ms) / \($d.ttft_p99_ms) | \($m.ttft_p50_ms) / \($m.ttft_p90_ms) / \($m.ttft_p99_ms) | \((($d.ttft_p50_ms - $m.ttft_p50_ms) * 100 | round) / 100) | \($d.total_p50_ms) / \($d.total_p99_ms) | \($m.total_p50_ms) / \($m.total_p99_ms) | \((($d.total_p50_ms - $m.total_p50_ms) * 100 | round) / 100) | \($d.cpu_ms_per_request) | \($d.errors) |"' "$results"
  echo
  echo "## Memory: $HOLD_STREAMS concurrent streams"
  echo
  jq -rs --argjson rate "$HOLD_TOKEN_RATE" --argjson tokens "$MOCK_TOKENS" 'map(select(.kind == "hold"))[0]
    | "A fresh Devana process, after one warm-up completion (RSS \(.idle_rss_kb / 1024 | round) MB), opened \(.concurrency) streams at once (\($tokens) tokens at \($rate) tokens/s each).\n\n"
    + "| streams open at once (max) | completed | errors | TTFT p50 / p99 (ms) | max VmRSS while open | peak RSS (VmHWM) |\n|---:|---:|---:|---|---:|---:|\n"
    + "| \(.max_open_streams) | \(.requests) | \(.errors) | \(.ttft_p50_ms) / \(.ttft_p99_ms) | \(.max_vm_rss_kb / 1024 | round) MB | \(.vm_hwm_kb / 1024 | round) MB |"' "$results"
  echo
  echo "## Goals (issue 8)"
  echo
  jq -rs '
    def row(c; k; t): map(select(.kind == k and .target == t and .concurrency == c))[0];
    def verdict(ok): if ok then "met" else "**missed**" end;
    (map(select(.kind == "whole" and .target == "devana")) | map(.concurrency)) as $cs
    | (if ($cs | index(1)) then
        (row(1; "whole"; "devana").p50_ms - row(1; "whole"; "direct").p50_ms) as $a
        | "- Added latency at p50, non-streaming, concurrency 1: \(($a * 100 | round) / 100) ms (goal ≤ 2 ms): \(verdict($a <= 2))" else empty end),
      (if ($cs | index(1)) then
        (row(1; "stream"; "devana").ttft_p50_ms - row(1; "stream"; "direct").ttft_p50_ms) as $a
        | "- Added time to first token at p50, concurrency 1: \(($a * 100 | round) / 100) ms (goal ≤ 2 ms): \(verdict($a <= 2))" else empty end),
      (if ($cs | index(64)) then
        row(64; "whole"; "devana").rps as $r
        | "- Completions per second at concurrency 64: \($r) (goal ≥ 1,500): \(verdict($r >= 1500))" else empty end),
      (map(select(.kind == "hold"))[0] | (.vm_hwm_kb / 1024 | round) as $m
        | "- Peak RSS with \(.concurrency) streams: \($m) MB (goal: 1,000 streams in < 300 MB): \(if .concurrency < 1000 then "not comparable (fewer streams)" else verdict($m < 300 and .max_open_streams >= .concurrency) end)")' "$results"
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
