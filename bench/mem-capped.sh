#!/usr/bin/env bash
# Runs a command inside a memory cgroup capped at LIMIT (page cache included, as the kernel
# charges it), then prints the group's peak charge and whether the cap was hit or anything was
# OOM-killed. It shows that a run fits a box of that size: mapped index pages and the page cache
# of the store being written are reclaimed under the cap, the process's own memory is not.
#   bench/mem-capped.sh 1G target/release/newsloom bench ingest --articles 1000000 --json
# Needs root and a writable cgroup hierarchy (v2 with the memory controller, or v1 `memory`).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 LIMIT COMMAND [ARGS…]  (LIMIT like 1G or 1073741824)" >&2; exit 2; }
limit=$1; shift
bytes=$(numfmt --from=iec "$limit")
name="newsloom-cap-$$"
if [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
  dir=/sys/fs/cgroup/$name; mkdir "$dir"
  echo "$bytes" > "$dir/memory.max"
  peak_file=$dir/memory.peak; events=$dir/memory.events
elif [ -d /sys/fs/cgroup/memory ]; then
  dir=/sys/fs/cgroup/memory/$name; mkdir "$dir"
  echo "$bytes" > "$dir/memory.limit_in_bytes"
  peak_file=$dir/memory.max_usage_in_bytes; events=$dir/memory.failcnt
else
  echo "no writable memory cgroup here" >&2; exit 1
fi
cleanup() { rmdir "$dir" 2>/dev/null || true; }
trap cleanup EXIT
status=0
bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' _ "$dir" "$@" || status=$?
peak=$(cat "$peak_file" 2>/dev/null || echo 0)
{
  echo "memory cap $limit ($bytes bytes): exit status $status, peak charge $(numfmt --to=iec "$peak") ($peak bytes)"
  echo "cap events ($(basename "$events")): $(tr '\n' ' ' < "$events")"
  if [ -f "$dir/memory.oom_control" ]; then echo "oom: $(tr '\n' ' ' < "$dir/memory.oom_control")"; fi
} >&2
exit $status
