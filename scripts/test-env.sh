# Sourced by `make test` and `make bench`: installs what the tests need and exports
# CTIP_TEST_POSTGRES_URL (a fresh database) and CTIP_CHROMIUM.
# CTIP_TEST_POSTGRES: "auto" (default: use PostgreSQL when reachable), "required" (CI), "off".

_ctip_apt_install() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -d /usr/share/fonts/truetype/khmeros ] || missing+=(fonts-khmeros)
  # Thai and Chinese for the public offer checker's pages (served as fallback fonts too).
  [ -d /usr/share/fonts/truetype/tlwg ] || [ -d /usr/share/fonts/opentype/tlwg ] || missing+=(fonts-thai-tlwg)
  [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
  # pdftoppm renders report pages to images in the PDF tests (Khmer shaping checked by eye too).
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-env: installing ${missing[*]} from Debian's packages"
    apt-get update -qq >/dev/null && \
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test-env: ${missing[*]} missing and cannot be installed here; browser tests will be skipped"
  fi
}

_ctip_postgres() {
  local mode="${CTIP_TEST_POSTGRES:-auto}"
  [ "$mode" = "off" ] && return 0
  [ -n "${CTIP_TEST_POSTGRES_URL:-}" ] && return 0
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
      sleep 2
    fi
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    local db="ctip_test_$(date +%s)_$$"
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE ${db}" >/dev/null
    export CTIP_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:5432/${db}"
    echo "test-env: PostgreSQL tests use database ${db}"
  elif [ "$mode" = "required" ]; then
    echo "test-env: PostgreSQL is required (CTIP_TEST_POSTGRES=required) but not reachable" >&2
    return 1
  else
    echo "test-env: PostgreSQL not reachable; PostgreSQL tests will be skipped"
  fi
}

_ctip_apt_install
if command -v chromium >/dev/null 2>&1; then export CTIP_CHROMIUM="$(command -v chromium)"; fi
_ctip_postgres || return 1
