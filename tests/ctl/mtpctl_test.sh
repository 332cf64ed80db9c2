#!/usr/bin/env bash
# Runs the real mtpctl binary and checks exit codes and output.
#   mtpctl_test.sh MTPCTL SOURCE_DIR [SECTION...]
# SECTION: check, test, authorize, bad_input, impact, coverage (default: all of them).
# Exit codes of mtpctl: 0 ok, 1 policy errors or failing tests, 2 bad input; a code >= 128 is
# a crash and always fails. Ends with `N passed, M failed`; exits 1 if anything failed.
set -u

MTPCTL=${1:?usage: mtpctl_test.sh MTPCTL SOURCE_DIR [SECTION...]}
SRC=${2:?usage: mtpctl_test.sh MTPCTL SOURCE_DIR [SECTION...]}
shift 2
SECTIONS=("$@")
[ ${#SECTIONS[@]} -eq 0 ] && SECTIONS=(check test authorize bad_input impact coverage)

POLICIES="$SRC/policies"
DATA="$SRC/tests/ctl/data"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mtpctl_test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

PASSED=0
FAILED=0
OUT="$TMP/stdout"
ERR="$TMP/stderr"
RC=0

# run ARGS...: runs mtpctl, keeping stdout, stderr and the exit code.
run() {
  LAST="mtpctl $*"
  "$MTPCTL" "$@" >"$OUT" 2>"$ERR"
  RC=$?
}

pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL - $1"
  echo "       command: $LAST (exit $RC)"
  sed 's/^/       stdout: /' "$OUT" | head -20
  sed 's/^/       stderr: /' "$ERR" | head -20
}

# expect_rc NAME CODE: the last run exited with CODE (and did not crash).
expect_rc() {
  if [ "$RC" -ge 128 ]; then fail "$1: crashed (exit $RC), want $2"; return; fi
  if [ "$RC" -eq "$2" ]; then pass "$1: exit $2"; else fail "$1: exit $RC, want $2"; fi
}
# expect_out NAME STREAM REGEX: stdout or stderr of the last run has a line matching REGEX.
expect_out() {
  local file=$OUT
  [ "$2" = stderr ] && file=$ERR
  if grep -Eq -- "$3" "$file"; then pass "$1: $2 matches /$3/"; else fail "$1: $2 does not match /$3/"; fi
}
# expect_no_out NAME STREAM REGEX: no line matches.
expect_no_out() {
  local file=$OUT
  [ "$2" = stderr ] && file=$ERR
  if grep -Eq -- "$3" "$file"; then fail "$1: $2 unexpectedly matches /$3/"; else pass "$1: $2 has no /$3/"; fi
}
# expect_decision NAME ALLOWED REASON DECIDED_BY: stdout is one line, the JSON object
# {"allowed":ALLOWED,"reason":"REASON","decidedBy":"DECIDED_BY"} (in any key order).
expect_decision() {
  local got want_a want_r want_d
  got=$(cat "$OUT")
  want_a="\"allowed\":$2"
  want_r="\"reason\":\"$3\""
  want_d="\"decidedBy\":\"$4\""
  if [ "$(wc -l <"$OUT")" -eq 1 ] &&
    [[ "$got" =~ ^\{(\"(allowed|reason|decidedBy)\":(true|false|\"[^\"]*\"),?){3}\}$ ]] &&
    [[ "$got" == *"$want_a"* && "$got" == *"$want_r"* && "$got" == *"$want_d"* ]]; then
    pass "$1: {$want_a,$want_r,$want_d}"
  else
    fail "$1: stdout is '$got', want {$want_a,$want_r,$want_d}"
  fi
}
expect_empty() {
  local file=$OUT
  [ "$2" = stderr ] && file=$ERR
  if [ ! -s "$file" ]; then pass "$1: $2 is empty"; else fail "$1: $2 is not empty"; fi
}

# A policy folder: the shipped built-in roles plus the given files.
policy_dir() {
  local d="$TMP/$1"
  shift
  rm -rf "$d"
  mkdir -p "$d/builtin"
  cp "$POLICIES/builtin/roles.yaml" "$d/builtin/"
  for f in "$@"; do cp "$f" "$d/"; done
  echo "$d"
}

section_check() {
  run policy check "$POLICIES"
  expect_rc "policy check policies/" 0
  expect_out "policy check policies/" stdout '^OK: 8 roles, [0-9]+ policies$'
  expect_empty "policy check policies/" stderr

  local bad
  bad=$(policy_dir bad_policy "$DATA/bad_policy/bad.yaml")
  run policy check "$bad"
  expect_rc "policy check with a bad file" 1
  expect_out "policy check with a bad file" stderr "^$bad/bad\\.yaml:5:[0-9]+: unknown_action: "
  expect_out "policy check with a bad file" stderr "^$bad/bad\\.yaml:9:[0-9]+: [a-z_]+: .*colour"
  expect_out "policy check with a bad file" stderr '^[0-9]+ error\(s\)$'
  expect_no_out "policy check with a bad file" stdout '^OK'

  # The built-in roles alone are fine.
  run policy check "$(policy_dir roles_only)"
  expect_rc "policy check on the built-in roles alone" 0

  run policy check "$TMP/does-not-exist"
  expect_rc "policy check on a missing folder" 1
  expect_out "policy check on a missing folder" stderr 'does-not-exist'

  # A test file is not a policy file: policy check ignores it.
  run policy check "$(policy_dir with_failing_test "$DATA/failing/failing_test.yaml")"
  expect_rc "policy check ignores *_test.yaml" 0
}

section_test() {
  run policy test "$POLICIES"
  expect_rc "policy test policies/" 0
  local line
  line=$(grep -E '^PASS: [0-9]+/[0-9]+$' "$OUT" | tail -1)
  if [ -n "$line" ] && [ "${line#PASS: }" != "" ]; then
    local n=${line#PASS: }
    if [ "${n%/*}" = "${n#*/}" ] && [ "${n%/*}" -gt 0 ]; then pass "policy test policies/: $line";
    else fail "policy test policies/: '$line' is not PASS: n/n"; fi
  else
    fail "policy test policies/: no PASS: n/n line"
  fi
  expect_no_out "policy test policies/" stdout '^FAIL'

  local failing
  failing=$(policy_dir failing "$DATA/failing/failing_test.yaml")
  run policy test "$failing"
  expect_rc "policy test with a failing case" 1
  expect_out "policy test with a failing case" stdout \
    "^FAIL: $failing/failing_test\\.yaml:12: help desk deletes users: .*role_lacks_action"
  expect_out "policy test with a failing case" stdout '^FAIL: 1/2$'

  run policy test "$(policy_dir no_tests)"
  expect_rc "policy test without test files" 1
  expect_out "policy test without test files" stderr 'no_tests'

  local broken
  broken=$(policy_dir broken)
  printf 'directory: {}\ncases:\n  - request: {admin: a, action: home.read}\n    expect: {reason: maybe}\n' \
    >"$broken/broken_test.yaml"
  run policy test "$broken"
  expect_rc "policy test with a broken test file" 1
  expect_out "policy test with a broken test file" stderr "^$broken/broken_test\\.yaml:4:[0-9]+: bad_value: "

  local badp
  badp=$(policy_dir bad_policy_tests "$DATA/bad_policy/bad.yaml" "$DATA/failing/failing_test.yaml")
  run policy test "$badp"
  expect_rc "policy test with a bad policy file" 1
  expect_out "policy test with a bad policy file" stderr "bad\\.yaml:5:[0-9]+: unknown_action: "
}

section_authorize() {
  local dir="$DATA/directory.json"
  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_allowed.json"
  expect_rc "authorize allowed" 0
  expect_decision "authorize allowed" true allowed "help_desk"
  expect_empty "authorize allowed" stderr

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_role_lacks.json"
  expect_rc "authorize role_lacks_action" 0
  expect_decision "authorize role_lacks_action" false role_lacks_action "help_desk"

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_forbidden.json"
  expect_rc "authorize forbidden_by_policy" 0
  expect_decision "authorize forbidden_by_policy" false forbidden_by_policy "help-desk-from-office-network"

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_mfa.json"
  expect_rc "authorize mfa_required" 0
  expect_decision "authorize mfa_required" false mfa_required "check:mfa_required"

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_expired.json"
  expect_rc "authorize grant_expired" 0
  expect_decision "authorize grant_expired" false grant_expired "check:grant_expired"

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_unknown_action.json"
  expect_rc "authorize unknown_action (a decision, not bad input)" 0
  expect_decision "authorize unknown_action" false unknown_action "check:unknown_action"

  # --explain: the same decision plus a trace of every check.
  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_forbidden.json" --explain
  expect_rc "authorize --explain" 0
  expect_out "authorize --explain" stdout '"allowed": false'
  expect_out "authorize --explain" stdout '"reason": "forbidden_by_policy"'
  expect_out "authorize --explain" stdout '"decidedBy": "help-desk-from-office-network"'
  expect_out "authorize --explain" stdout '"trace": \['
  expect_out "authorize --explain" stdout '"check": "mfa_required"'
  expect_out "authorize --explain" stdout '"subject": "help-desk-from-office-network"'
  if command -v python3 >/dev/null 2>&1; then
    if python3 - "$OUT" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["allowed"] is False and d["reason"] == "forbidden_by_policy"
assert isinstance(d["trace"], list) and len(d["trace"]) >= 5
assert all({"check", "subject", "passed", "detail"} <= set(s) for s in d["trace"])
assert d["trace"][-1]["passed"] is False
PY
    then pass "authorize --explain: the trace is JSON, one object per step, the last one failed"
    else fail "authorize --explain: the output is not the expected JSON"; fi
  fi

  # Without --explain there is no trace.
  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_allowed.json"
  expect_no_out "authorize without --explain" stdout 'trace'
}

section_bad_input() {
  local dir="$DATA/directory.json"
  run authorize --policies "$POLICIES" --directory "$TMP/missing.json" --request "$DATA/request_allowed.json"
  expect_rc "missing directory file" 2
  expect_out "missing directory file" stderr "missing\\.json: cannot read"
  expect_empty "missing directory file" stdout

  run authorize --policies "$POLICIES" --directory "$dir" --request "$TMP/missing.json"
  expect_rc "missing request file" 2
  expect_out "missing request file" stderr "missing\\.json: cannot read"

  run authorize --policies "$TMP/no-policies" --directory "$dir" --request "$DATA/request_allowed.json"
  expect_rc "missing policy folder" 2
  expect_out "missing policy folder" stderr 'no-policies'

  run authorize --policies "$(policy_dir bad_az "$DATA/bad_policy/bad.yaml")" --directory "$dir" \
    --request "$DATA/request_allowed.json"
  expect_rc "authorize with a bad policy file" 2
  expect_out "authorize with a bad policy file" stderr 'bad\.yaml:5:[0-9]+: unknown_action: '

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_malformed.json"
  expect_rc "malformed request JSON" 2
  expect_out "malformed request JSON" stderr 'request_malformed\.json:[0-9]+:[0-9]+: syntax_error: '
  expect_empty "malformed request JSON" stdout

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_unknown_key.json"
  expect_rc "unknown key in the request" 2
  expect_out "unknown key in the request" stderr 'request_unknown_key\.json:2:2: unknown_key: .*`org`'

  run authorize --policies "$POLICIES" --directory "$dir" --request "$DATA/request_bad_values.json"
  expect_rc "bad values in the request" 2
  expect_out "bad values in the request" stderr 'request_bad_values\.json:2:16: bad_value: .*`password`'
  expect_out "bad values in the request" stderr 'request_bad_values\.json:2:35: type_mismatch: '
  expect_out "bad values in the request" stderr 'request_bad_values\.json:3:14: bad_value: .*`10\.0\.0\.300`'
  expect_out "bad values in the request" stderr 'request_bad_values\.json:3:36: bad_time: .*`tomorrow`'

  run authorize --policies "$POLICIES" --directory "$DATA/directory_bad_status.json" --request "$DATA/request_allowed.json"
  expect_rc "bad status in the directory" 2
  expect_out "bad status in the directory" stderr 'directory_bad_status\.json:3:24: bad_value: .*`disabled`'

  run authorize --policies "$POLICIES" --directory "$DATA/directory_unknown_role.json" --request "$DATA/request_allowed.json"
  expect_rc "unknown role in the directory" 2
  expect_out "unknown role in the directory" stderr 'superuser'

  # Garbage: empty, binary, a directory where a file is expected.
  : >"$TMP/empty.json"
  run authorize --policies "$POLICIES" --directory "$dir" --request "$TMP/empty.json"
  expect_rc "empty request file" 2
  expect_out "empty request file" stderr 'empty\.json'

  head -c 4096 /dev/urandom >"$TMP/random.bin"
  run authorize --policies "$POLICIES" --directory "$TMP/random.bin" --request "$DATA/request_allowed.json"
  expect_rc "binary directory file" 2
  run authorize --policies "$POLICIES" --directory "$dir" --request "$TMP/random.bin"
  expect_rc "binary request file" 2

  printf '\x00\x01\x02{"admin":' >"$TMP/nul.json"
  run authorize --policies "$POLICIES" --directory "$dir" --request "$TMP/nul.json"
  expect_rc "request file with NUL bytes" 2

  run authorize --policies "$POLICIES" --directory "$DATA" --request "$DATA/request_allowed.json"
  expect_rc "a folder as the directory file" 2

  # Usage errors are bad input too.
  run authorize --policies "$POLICIES" --directory "$dir"
  expect_rc "authorize without --request" 2
  run policy frobnicate
  expect_rc "unknown policy subcommand" 2
  run
  expect_rc "no subcommand" 2
  run policy test
  expect_rc "policy test without DIR" 2
}

# log_line ID ADMIN ACTION ORG ALLOWED: one decision log line as mtpd writes it.
log_line() {
  printf '{"id":"%s","time":"2026-11-25T12:00:00Z","admin":"%s","provider":"msp1","action":"%s","org":"%s","authMethod":"session","mfa":true,"sessionScope":"full","launchOrg":"","clientIp":"10.20.30.40","anyOrg":false,"allowed":%s,"reason":"allowed","decidedBy":"x","policyVersion":"v"}\n' "$@"
}

section_impact() {
  local dir="$DATA/directory.json" cur cand log="$TMP/decisions.log"
  printf 'policies:\n  - id: no-restart-in-freeze\n    effect: forbid\n    actions: [devices.restart]\n    when: org.tags contains "change-freeze"\n' >"$TMP/freeze.yaml"
  cur=$(policy_dir impact_current)
  cand=$(policy_dir impact_candidate "$TMP/freeze.yaml")
  { log_line d1 hd devices.restart o1 true
    log_line d2 hd devices.restart o2 true
    log_line d3 hd users.unlock o2 true; } >"$log"
  log_line d4 hd devices.restart o2 true >"$TMP/second.log"

  run policy impact --current "$cur" --candidate "$cur" --log "$log" --directory "$dir"
  expect_rc "impact, same policies" 0
  expect_out "impact, same policies" stdout '^replayed 3 decisions'
  expect_out "impact, same policies" stdout '^allowed -> denied: 0$'
  expect_out "impact, same policies" stdout '^denied -> allowed: 0$'

  run policy impact --current "$cur" --candidate "$cand" --log "$log" "$TMP/second.log" --directory "$dir"
  expect_rc "impact, a new forbid denies what was allowed" 1
  expect_out "impact, a new forbid" stdout '^replayed 4 decisions'
  expect_out "impact, a new forbid" stdout '^allowed -> denied: 2$'
  expect_out "impact, a new forbid" stdout '^  by policy: no-restart-in-freeze 2$'
  expect_out "impact, a new forbid" stdout '^  by org: o2 2$'
  expect_out "impact, a new forbid" stdout 'd2 admin=hd action=devices.restart org=o2: allowed \(help_desk\) -> forbidden_by_policy \(no-restart-in-freeze\)'

  run policy impact --current "$cur" --candidate "$cand" --log "$log" --directory "$dir" --format json
  expect_rc "impact --format json" 1
  if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["replayed"] == 3, d
a = d["allowedToDenied"]
assert a["count"] == 1 and a["byPolicy"] == [{"key": "no-restart-in-freeze", "count": 1}], a
assert a["byAction"][0]["key"] == "devices.restart" and a["byAdmin"][0]["key"] == "hd", a
e = a["examples"][0]
assert e["id"] == "d2" and e["candidate"]["reason"] == "forbidden_by_policy", e
assert d["deniedToAllowed"]["count"] == 0, d
assert d["currentVersion"] != d["candidateVersion"], d
' "$OUT"; then pass "impact --format json: counts, groups, examples"; else fail "impact --format json: counts, groups, examples"; fi

  run policy impact --current "$cand" --candidate "$cur" --log "$log" --directory "$dir"
  expect_rc "impact, removing the forbid only allows more" 0
  expect_out "impact, removing the forbid" stdout '^denied -> allowed: 1$'
  expect_out "impact, removing the forbid" stdout '^  by policy: no-restart-in-freeze 1$'

  # A malformed line is skipped and said so; the rest replays.
  { cat "$log"; echo '{"admin": "hd"'; } >"$TMP/broken.log"
  run policy impact --current "$cur" --candidate "$cur" --log "$TMP/broken.log" --directory "$dir"
  expect_rc "impact, a malformed line" 0
  expect_out "impact, a malformed line" stderr 'skipped: .*broken.log:4: '
  expect_out "impact, a malformed line" stdout '^replayed 3 decisions \(1 malformed lines skipped\)'

  # Usage and input errors: exit 2.
  run policy impact --current "$cur" --candidate "$cand" --log "$TMP/no-such.log" --directory "$dir"
  expect_rc "impact, a missing log" 2
  run policy impact --current "$cur" --candidate "$TMP/no-such-dir" --log "$log" --directory "$dir"
  expect_rc "impact, a missing candidate" 2
  run policy impact --current "$cur" --candidate "$(policy_dir impact_bad "$DATA/bad_policy/bad.yaml")" --log "$log" --directory "$dir"
  expect_rc "impact, a candidate that does not compile" 2
  run policy impact --current "$cur" --candidate "$cand" --log "$log" --directory "$dir" --format xml
  expect_rc "impact, a bad --format" 2
  run policy impact --candidate "$cand" --log "$log" --directory "$dir"
  expect_rc "impact without --current" 2
  LAST="mtpctl policy impact (no --directory, no MTP_DB)"
  env -u MTP_DB "$MTPCTL" policy impact --current "$cur" --candidate "$cand" --log "$log" >"$OUT" 2>"$ERR"
  RC=$?
  expect_rc "impact without a directory" 2
}

section_coverage() {
  run policy test "$POLICIES" --coverage
  expect_rc "policy test --coverage on the shipped policies" 0
  expect_out "policy test --coverage" stdout '^coverage: [0-9]+/[0-9]+ \([0-9.]+%\)$'

  # A policy whose test never reaches its forbid: reported at file:line.
  local d
  printf 'policies:\n  - id: no-restart-in-freeze\n    effect: forbid\n    actions: [devices.restart]\n    when: org.tags contains "change-freeze"\n' >"$TMP/freeze.yaml"
  d=$(policy_dir coverage "$TMP/freeze.yaml")
  printf 'directory:\n  providers: [{id: msp1, organizations: [{id: o1}]}]\n  admins: [{id: hd, provider: msp1, roleName: help_desk, allOrganizations: true}]\ncases:\n  - request: {admin: hd, action: devices.restart, organization: o1, mfa: true}\n    expect: {allowed: true, reason: allowed}\n' >"$d/freeze_test.yaml"
  run policy test "$d" --coverage
  expect_rc "coverage with an untested forbid" 0
  expect_out "coverage with an untested forbid" stdout '^PASS: 1/1$'
  expect_out "coverage with an untested forbid" stdout '^not covered:$'
  expect_out "coverage with an untested forbid" stdout 'freeze.yaml:2: policy `no-restart-in-freeze`: never denied$'
  expect_out "coverage with an untested forbid" stdout 'freeze.yaml:5: policy `no-restart-in-freeze`: when\[0\] `org.tags contains "change-freeze"` never true$'
  expect_out "coverage with an untested forbid" stdout 'role `read_only`: never the effective role'

  # Without --coverage, no report.
  run policy test "$d"
  expect_no_out "policy test without --coverage" stdout '^coverage:'
}

for s in "${SECTIONS[@]}"; do
  case "$s" in
    check | test | authorize | bad_input | impact | coverage) "section_$s" ;;
    *) echo "unknown section $s"; FAILED=$((FAILED + 1)) ;;
  esac
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
