#!/usr/bin/env bash
# Brings up the local infrastructure the distributed mode and the infra tests need:
#   - Kafka: single-node KRaft broker from scripts/kafka/kafka.sh (started if not running);
#   - PostgreSQL: the machine's own cluster, checked at PG_URL and started if it is local and down;
#   - kcat: the Debian package the integration suite reads topics with, installed if missing.
#
# Progress goes to stderr; stdout carries only KEY=value lines, so a shell can load them with
#   set -a; eval "$(bash scripts/infra/up.sh)"; set +a
#
# Environment: PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), PG_START_TIMEOUT
# (seconds, default 30), PG_CLUSTER ("<version>/<name>", default: the local cluster on PG_URL's
# port), plus everything scripts/kafka/kafka.sh reads (KAFKA_PORT, PCN_CACHE_DIR, ...).
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_START_TIMEOUT="${PG_START_TIMEOUT:-30}"
[[ "$PG_START_TIMEOUT" =~ ^[0-9]+$ ]] || die "PG_START_TIMEOUT must be a positive integer, got '$PG_START_TIMEOUT'"

# --- kcat ------------------------------------------------------------------------------------
# The integration suite checks with kcat (Debian package) that a plain Kafka client reads what we
# publish. Installed when missing and we are root; otherwise say how.
if ! command -v kcat >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "kcat not found; installing the Debian package"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat; } >&2 || die "could not install kcat (apt-get install kcat)"
  else
    die "kcat not found: install it (Debian: sudo apt-get install kcat), the integration suite uses it"
  fi
fi

# --- Kafka -----------------------------------------------------------------------------------
bash "$REPO_ROOT/scripts/kafka/kafka.sh" start >&2 || die "Kafka did not start (see 'bash scripts/kafka/kafka.sh logs')"
KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"

# --- PostgreSQL ------------------------------------------------------------------------------
command -v pg_isready >/dev/null 2>&1 || die "pg_isready not found (install postgresql-client)"

pg_ready() { pg_isready -q -t 3 -d "$PG_URL"; }

# host and port of a postgres:// or postgresql:// URL (IPv6 literals in brackets are kept whole)
if [[ "$PG_URL" =~ ^postgres(ql)?://([^@/]*@)?(\[[^]]*\]|[^:/?]*)(:([0-9]+))? ]]; then
  PG_HOST="${BASH_REMATCH[3]}"
  PG_PORT="${BASH_REMATCH[5]:-5432}"
else
  die "PG_URL must look like postgres://user@host:port/db, got '$PG_URL'"
fi

is_local_host() {
  case "$1" in
    '' | 127.0.0.1 | localhost | '[::1]') return 0 ;;
    *) return 1 ;;
  esac
}

# "<version> <name>" of the local cluster to start: PG_CLUSTER if given, else the one configured
# on PG_URL's port.
local_cluster() {
  if [[ -n "${PG_CLUSTER:-}" ]]; then
    [[ "$PG_CLUSTER" =~ ^([^/]+)/([^/]+)$ ]] || die "PG_CLUSTER must look like 15/main, got '$PG_CLUSTER'"
    printf '%s %s\n' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    return 0
  fi
  command -v pg_lsclusters >/dev/null 2>&1 || die "pg_lsclusters not found: cannot tell which local cluster serves port $PG_PORT"
  pg_lsclusters -h | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'
}

if pg_ready; then
  log "PostgreSQL is accepting connections at $PG_HOST:$PG_PORT"
else
  is_local_host "$PG_HOST" || die "PostgreSQL at $PG_HOST:$PG_PORT is not accepting connections, and it is not local, so it is not started from here"
  cluster="$(local_cluster)"
  [[ -n "$cluster" ]] || die "no local PostgreSQL cluster is configured on port $PG_PORT (see pg_lsclusters; or set PG_CLUSTER=<version>/<name>)"
  read -r pg_version pg_name <<<"$cluster"
  log "PostgreSQL is down at $PG_HOST:$PG_PORT; starting local cluster $pg_version/$pg_name"
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" "$pg_name" start >&2 ||
    die "pg_ctlcluster could not start $pg_version/$pg_name (see /var/log/postgresql/postgresql-$pg_version-$pg_name.log)"
  deadline=$((SECONDS + PG_START_TIMEOUT))
  until pg_ready; do
    ((SECONDS < deadline)) || die "PostgreSQL $pg_version/$pg_name started but does not accept connections at $PG_HOST:$PG_PORT after ${PG_START_TIMEOUT} s"
    sleep 0.5
  done
  log "PostgreSQL $pg_version/$pg_name is accepting connections at $PG_HOST:$PG_PORT"
fi

log "infrastructure is up:"
printf 'KAFKA_BROKERS=%s\n' "$KAFKA_BROKERS"
printf 'PG_URL=%s\n' "$PG_URL"
