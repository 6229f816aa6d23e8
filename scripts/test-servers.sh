#!/usr/bin/env bash
# What the tests drive besides Node.js, installed when missing: Debian's chromium (the
# dashboard's browser tests, through playwright-core, which never downloads a browser of its
# own) and util-linux's prlimit (the fault suite's full disk). `npm test` runs this first (the
# `pretest` script), so the README's test command works on a fresh Debian machine; `.ci/run`
# runs `npm test`. With CI=true anything still missing fails the run: never a silent skip.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v prlimit >/dev/null 2>&1 || missing+=(util-linux)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "test-servers: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 && apt-get install -y -q "${missing[@]}" </dev/null >&2 || true
fi

still=()
[ -x /usr/bin/chromium ] || still+=(chromium)
command -v prlimit >/dev/null 2>&1 || still+=(prlimit)
if [ ${#still[@]} -gt 0 ]; then
  echo "test-servers: missing ${still[*]} (apt-get install chromium util-linux, as root); the tests that need them fail" >&2
  [ "${CI:-}" = true ] && exit 1
fi
exit 0
