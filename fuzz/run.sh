#!/usr/bin/env bash
# Runs fuzz targets one after another, each for N executions, and prints per target the
# executions, exec/s, coverage (libFuzzer's final cov:/ft:) and crashes found.
#
#   fuzz/run.sh                         every target, 10,000,000 executions each
#   fuzz/run.sh jsonl feed --runs 100000
#   FUZZ_NICE=0 FUZZ_SANITIZER=none fuzz/run.sh warc
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Builds with
# `cargo +nightly fuzz build -O` (release, debug assertions, AddressSanitizer unless
# FUZZ_SANITIZER says otherwise) into fuzz/target, seeds missing corpora with fuzz/seed.sh,
# runs one fuzzer at a time under `nice -n ${FUZZ_NICE:-19}` and writes the running fuzzer's
# PID to fuzz/.running.pid (kill -STOP / -CONT pauses it; a pause over -timeout=10 s gives a
# false timeout artifact). Logs go to
# fuzz/logs/<target>-<time>.log, crashes to fuzz/artifacts/<target>/, new inputs to
# fuzz/corpus/<target>/. Extra libFuzzer flags: FUZZ_FLAGS="-max_total_time=3600".
# FUZZ_NO_BUILD=1 runs the binaries already built (e.g. while another build holds the lock).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."

all=(api_query api_body jsonl feed gzip warc text html)
runs=10000000
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --runs=*) runs="${1#--runs=}"; shift ;;
        -h|--help) sed -n '2,/^set /p' "$here/run.sh" | sed '$d'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

# Longest input per target: room for a real document of the kind, small enough to stay fast.
max_len() {
    case "$1" in
        api_query) echo 2048 ;;
        api_body|jsonl) echo 8192 ;;
        feed|gzip|text) echo 16384 ;;
        warc|html) echo 32768 ;;
        *) echo 4096 ;;
    esac
}

for t in "${targets[@]}"; do
    case " ${all[*]} " in *" $t "*) ;; *) echo "run.sh: unknown target $t (have: ${all[*]})" >&2; exit 2 ;; esac
done

sanitizer="${FUZZ_SANITIZER:-address}"
# The feature a target's dependencies sit behind (see fuzz/Cargo.toml).
features() {
    case "$1" in
        feed) echo feeds ;;
        api_query|api_body) echo api ;;
        *) echo "" ;;
    esac
}
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
    for t in "${targets[@]}"; do
        f=$(features "$t")
        cargo +nightly fuzz build -O -s "$sanitizer" ${f:+--features "$f"} "$t"
    done
fi
bin="$here/target/x86_64-unknown-linux-gnu/release"
mkdir -p "$here/logs"

summary=()
for t in "${targets[@]}"; do
    [ -d "$here/corpus/$t" ] || "$here/seed.sh" "$t"
    mkdir -p "$here/artifacts/$t"
    before=$(ls "$here/artifacts/$t" | wc -l)
    log="$here/logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log"
    len=$(max_len "$t")
    echo "== $t: $runs runs, -max_len=$len, log $log"
    set +e
    # shellcheck disable=SC2086
    nice -n "${FUZZ_NICE:-19}" "$bin/$t" "$here/corpus/$t" -runs="$runs" -max_len="$len" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$here/artifacts/$t/" ${FUZZ_FLAGS:-} >"$log" 2>&1 &
    pid=$!
    echo "$pid" >"$here/.running.pid"
    wait "$pid"
    rc=$?
    set -e
    rm -f "$here/.running.pid"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    after=$(ls "$here/artifacts/$t" | wc -l)
    crashes=$((after - before))
    line=$(printf '%-10s execs=%-10s exec/s=%-7s cov=%-6s ft=%-7s crashes=%s exit=%s' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$crashes" "$rc")
    echo "$line"
    if [ "$crashes" -gt 0 ]; then
        ls -t "$here/artifacts/$t" | head -"$crashes" | sed "s|^|    $here/artifacts/$t/|"
        grep -m3 -E 'panicked|ERROR: (AddressSanitizer|libFuzzer)' "$log" | sed 's/^/    /'
    fi
    summary+=("$line")
done
echo
echo "== summary"
printf '%s\n' "${summary[@]}"
