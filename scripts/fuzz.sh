#!/usr/bin/env bash
# Runs every cargo-fuzz target (or the ones named) for SECONDS each and prints one line
# per target: executions, executions/s, peak RSS, result. A crash, hang (-timeout) or
# out-of-memory (-rss_limit_mb) stops that target with its reproducer in
# fuzz/artifacts/<target>/ and makes the script exit 1.
#
#   scripts/fuzz.sh                 # 10 s per target (the CI smoke run)
#   scripts/fuzz.sh 3600            # one hour per target
#   scripts/fuzz.sh 600 ora_parse   # one target
#   scripts/fuzz.sh --runs 10000000 # the depth goal: ten million executions per target
#   scripts/fuzz.sh --runs 10000000 key_read sso_read
#
# The corpus (fuzz/corpus/<target>, gitignored) is kept between runs, so a long run
# continues from what earlier runs found.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). cargo-fuzz wants a nightly
# compiler for -Zsanitizer; on the stable toolchain RUSTC_BOOTSTRAP=1 unlocks those flags.
# The release build (-O) with debug assertions is used; AddressSanitizer is left on (the
# cargo-fuzz default) so out-of-bounds reads in C-like code would show too.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = --runs ]; then
  limit=(-runs="${2:?--runs needs a number}"); what="${2} executions"; shift 2
else
  limit=(-max_total_time="${1:-10}"); what="${1:-10} s"; shift || true
fi
all=(sso_read p12_read p12_authsafe key_read cert_read csr_read dn_parse ora_parse jks_read)
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
export RUSTC_BOOTSTRAP=1
logs="$root/fuzz/logs"; mkdir -p "$logs"

"$root/scripts/fuzz-seed.sh" >/dev/null 2>&1 || { echo "fuzz.sh: seeding failed" >&2; exit 1; }
(cd "$root/fuzz" && cargo fuzz build -O) || exit 1
bin_dir="$root/fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"

failed=0
echo "fuzz.sh: ${what} per target, logs in $logs"
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  # The built binary directly: `cargo fuzz run` would rebuild whenever src/ changed.
  mkdir -p "$root/fuzz/corpus/$t" "$root/fuzz/artifacts/$t"
  start=$SECONDS
  "$bin_dir/$t" -artifact_prefix="$root/fuzz/artifacts/$t/" \
      "${limit[@]}" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
      "$root/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  if [ $rc -eq 0 ]; then result=ok; else result="FAILED (rc $rc, see $log)"; failed=1; fi
  printf '%-13s %12s execs %8s exec/s %6s s  peak RSS %5s MB  %s\n' "$t" "${execs:-?}" "${speed:-?}" \
    "$((SECONDS - start))" "${rss:-?}" "$result"
done
exit $failed
