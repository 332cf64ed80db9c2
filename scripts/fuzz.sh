#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in build-fuzz and runs
# each for SECONDS (default 60) from the seed corpus in tests/fuzz/corpus/<target>/; new inputs
# go to build-fuzz/corpus/<target>/ (the committed seeds are never rewritten). A slow unit (over
# the 10 s -timeout), a crash, a leak or a sanitizer report fails the script and leaves the
# input in build-fuzz/artifacts/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_policy_parser fuzz_json_body fuzz_list_query fuzz_agent_protocol fuzz_request_guard)

cxx=${MTP_FUZZ_CXX:-$(command -v clang++-16 || command -v clang++ || true)}
[ -n "$cxx" ] || { echo "fuzz: clang++ not found (scripts/install-deps.sh installs clang)" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
dir=build-fuzz
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" "${launcher[@]}" \
  -DMTP_FUZZ=ON -DMTP_BUILD_TESTS=OFF -DMTP_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p "$dir/artifacts"
for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$t"
  echo "== fuzz: $t for ${secs} s"
  "$dir/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t-" "$dir/corpus/$t" "tests/fuzz/corpus/${t#fuzz_}" \
    2>"$dir/$t.log" || {
      tail -60 "$dir/$t.log"; echo "fuzz: $t FAILED" >&2; exit 1; }
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$dir/$t.log" | tr '\n' ' '
  echo
done
echo "fuzz: ${#targets[@]} targets, ${secs} s each: no crash, no sanitizer report"
