# Sourced by `make bench`: the test environment (scripts/test-env.sh: PostgreSQL and the
# rest) and Debian's `wrk`, the HTTP load generator bench/loadgen.py drives, installed only
# when missing.

source "$(dirname "${BASH_SOURCE[0]}")/test-env.sh" || return 1

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bench-env: installing wrk from Debian's packages"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "bench-env: wrk missing and cannot be installed here; HTTP figures will be skipped"
  fi
fi
