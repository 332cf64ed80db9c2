#!/usr/bin/env bash
# The layering the build enforces (run by ctest as `layers`): which folder may include which,
# and where SQL and store types may appear. A violation fails unless scripts/layers_baseline.txt
# grants that file at least that many (the debts of issue 9, to be paid down, never raised).
#
#   engine            nothing of the service
#   service/auth      auth/ only (and the engine)
#   service/decisions decisions/ only (and the engine): mtpd's decision log and mtpctl's replay
#   service/psa       psa/ only (and auth/): the PSA clients (ConnectWise, Autotask) over libcurl
#   service/model     nothing of the service (and the engine's directory types): the plain rows
#                     and queries that the store, the use cases and the handlers share
#   service/store     store/ and model/ only (and the engine): no auth/, http/, app/, handlers/, main/
#   service/http      no store/, handlers/, main/
#   service/app       no http/, handlers/, main/ (use cases know nothing of HTTP)
#   service/handlers  no store/ include and no `store::` (authentication is a use case; rows,
#                     list queries and reach are model/ types)
#   SQL (soci::, the sqlite3 and libpq C APIs) only in service/store/
#   the engine (taking a snapshot, deciding, reverse queries) only through the request's
#                     app::Authorization: service/app/authorization.* is the one place, in the
#                     service and its tests, that takes a snapshot or asks one (the engine's own
#                     tests are under tests/engine, not scanned); the offline policy tools
#                     (mtpctl policy *, decisions/impact.cc and its tests) decide recorded
#                     requests, not a live one, and build their own snapshots
#
# Usage: scripts/check_layers.sh [SOURCE_DIR]      (exit 1 with one line per violation)
#        scripts/check_layers.sh --baseline [DIR]  (print the current counts, for the baseline)
set -euo pipefail
mode=check
if [[ "${1:-}" == "--baseline" ]]; then
  mode=baseline
  shift
fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
baseline_file=scripts/layers_baseline.txt

# rule name | folders | regex of a forbidden line [| regex of paths the rule exempts]
rules=(
  'engine-includes-service|engine|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(auth|store|http|app|handlers|main|ctl)/'
  'auth-includes-upper|service/auth|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(store|http|app|handlers|main|ctl)/'
  'decisions-includes-service|service/decisions|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(auth|store|http|app|handlers|main|ctl)/'
  'psa-includes-upper|service/psa|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(store|http|app|handlers|main|ctl)/'
  'model-includes-service|service/model|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(auth|psa|decisions|store|http|app|handlers|main|ctl)/'
  'store-includes-upper|service/store|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(auth|http|app|handlers|main|ctl)/'
  'http-includes-store-or-upper|service/http|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(store|handlers|main|ctl)/'
  'app-includes-http-or-upper|service/app|^[[:space:]]*#[[:space:]]*include[[:space:]]+"(http|handlers|main|ctl)/'
  'handlers-include-store|service/handlers|^[[:space:]]*#[[:space:]]*include[[:space:]]+"store/'
  'handlers-use-store|service/handlers|store::'
  'sql-outside-store|service/auth service/psa service/decisions service/http service/app service/handlers service/main service/ctl engine|soci::|sqlite3_[a-z_]+\(|PQ[a-zA-Z]+\('
  'engine-snapshot-outside-authorization|service tests/service|(\.|->)current\(\)|->snapshot\(\)|Snapshot::build\(|->(authorize|explain|orgsFor|adminsFor|effectiveActions)\(|^(service/app/authorization\.(h|cc)|service/decisions/impact\.cc|service/ctl/policy_[a-z_]+\.cc|service/ctl/access_review_command\.cc|tests/service/decisions/[a-z_]+\.cc)$'
)

declare -A allowed=()
if [[ $mode == check && -f $baseline_file ]]; then
  while read -r rule file count; do
    [[ -z "$rule" || "$rule" == \#* ]] && continue
    allowed["$rule $file"]=$count
  done <"$baseline_file"
fi

failed=0
for spec in "${rules[@]}"; do
  # The last field is the exemption when the spec has four; a regex may itself hold `|`, so
  # the rules with an exemption end it with `|^<path regex>$`.
  rule=${spec%%|*}
  rest=${spec#*|}
  dirs=${rest%%|*}
  regex=${rest#*|}
  exempt=
  if [[ "$regex" == *'|^'*'$' ]]; then
    exempt="^${regex##*|^}"
    regex=${regex%|^*}
  fi
  # shellcheck disable=SC2086
  while IFS=: read -r file count; do
    [[ -z "$file" || "$count" == 0 ]] && continue
    [[ -n "$exempt" && "$file" =~ $exempt ]] && continue
    if [[ $mode == baseline ]]; then
      echo "$rule $file $count"
      continue
    fi
    limit=${allowed["$rule $file"]:-0}
    if ((count > limit)); then
      echo "layers: $rule: $file has $count (allowed $limit)"
      grep -nE "$regex" "$file" | sed 's/^/    /'
      failed=1
    fi
  done < <(find $dirs -type f \( -name '*.cc' -o -name '*.h' \) -print0 2>/dev/null |
             xargs -0 grep -cE "$regex" 2>/dev/null || true)
done
if [[ $mode == check && $failed == 0 ]]; then echo "layers: ok"; fi
exit $failed
