#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for development and the
# infra test suite, run from jars resolved out of Maven Central (see pom.xml). No Docker needed.
#
# usage: scripts/kafka/kafka.sh fetch|start|stop|status|logs [-f] [lines]
#
# Environment:
#   PCN_CACHE_DIR          cache root (default <repo>/.cache); Kafka lives in $PCN_CACHE_DIR/kafka
#   KAFKA_PORT             client listener on 127.0.0.1 (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener on 127.0.0.1 (default 9093)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to serve clients (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 60)
#   KAFKA_HEAP_OPTS        JVM heap flags (default "-Xms256m -Xmx512m")
#   KAFKA_JVM_OPTS         extra JVM flags, appended after the defaults
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"
POM="$SCRIPT_DIR/pom.xml"

log() { printf '[kafka] %s\n' "$*"; }
warn() { printf '[kafka] %s\n' "$*" >&2; }
die() { printf '[kafka] error: %s\n' "$*" >&2; exit 1; }

# Absolute and canonical even before it exists: the broker is recognised by this path in its cmdline.
KAFKA_HOME="$(realpath -m -- "${PCN_CACHE_DIR:-$REPO_ROOT/.cache}/kafka")"
LIBS_DIR="$KAFKA_HOME/libs"
DATA_DIR="$KAFKA_HOME/data"
CONFIG_FILE="$KAFKA_HOME/server.properties"
LOG4J_FILE="$KAFKA_HOME/log4j.properties"
TOOLS_LOG4J_FILE="$KAFKA_HOME/tools-log4j.properties"
PID_FILE="$KAFKA_HOME/kafka.pid"
LOG_FILE="$KAFKA_HOME/kafka.log"
LOCK_FILE="$KAFKA_HOME/.lock"
MARKER_FILE="$LIBS_DIR/.fetched"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"
BROKERS="127.0.0.1:$KAFKA_PORT"

for setting in KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_START_TIMEOUT KAFKA_STOP_TIMEOUT; do
  [[ "${!setting}" =~ ^[0-9]+$ ]] || die "$setting must be a positive integer, got '${!setting}'"
done
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

# Kafka version as declared in pom.xml (single source of truth).
kafka_version() {
  sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n 1
}

# The marker ties the jar set to the exact pom that produced it: editing pom.xml re-fetches.
expected_marker() {
  printf 'kafka_2.13=%s\npom-sha256=%s\n' "$(kafka_version)" "$(sha256sum "$POM" | cut -d ' ' -f 1)"
}

jars_present() {
  [[ -f "$MARKER_FILE" ]] && [[ "$(cat "$MARKER_FILE")" == "$(expected_marker)" ]]
}

# Serialises fetch/start/stop across concurrent callers (several engineers, parallel test runs).
take_lock() {
  mkdir -p -- "$KAFKA_HOME"
  exec 9>"$LOCK_FILE"
  flock -w 300 9 || die "another kafka.sh holds $LOCK_FILE for more than 300 s"
}

require_java() {
  command -v java >/dev/null 2>&1 || die "java not found on PATH (Kafka 3.9 needs Java 11+; 17 recommended)"
  local version_line major
  version_line="$(java -version 2>&1 | head -n 1)"
  major="$(sed -n 's/.*version "\([0-9]*\).*/\1/p' <<<"$version_line")"
  [[ -n "$major" && "$major" -ge 11 ]] || die "Kafka 3.9 needs Java 11+, found: $version_line"
}

# The readiness probe is a kafkajs client, so node and the repo's node_modules must be there.
require_kafkajs() {
  command -v node >/dev/null 2>&1 || die "node not found on PATH (the readiness check uses kafkajs)"
  PROBE_REPO_ROOT="$REPO_ROOT" node -e \
    "require.resolve('kafkajs', { paths: [process.env.PROBE_REPO_ROOT] })" >/dev/null 2>&1 ||
    die "kafkajs is not installed under $REPO_ROOT/node_modules (run npm install at the repo root)"
}

read_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -d '[:space:]' <"$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# True when the pid runs *our* broker: guards against pid reuse and against zombies, whose
# cmdline is empty.
broker_process_alive() {
  local pid="$1" cmdline
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *kafka.Kafka* && "$cmdline" == *"$CONFIG_FILE"* ]]
}

running_pid() {
  local pid
  pid="$(read_pid)" || return 1
  broker_process_alive "$pid" || return 1
  printf '%s' "$pid"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Asks the broker for its cluster description through kafkajs, retrying until it answers, the
# timeout expires, or (when a pid is given) the process dies. Exit codes: 0 ready, 1 timeout,
# 2 process gone.
probe() {
  local timeout_s="$1" pid="${2:-}"
  PROBE_BROKERS="$BROKERS" PROBE_TIMEOUT_MS="$((timeout_s * 1000))" PROBE_PID="$pid" \
    PROBE_REPO_ROOT="$REPO_ROOT" node - <<'JS' 9>&-
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { setTimeout: sleep } = require('node:timers/promises');

const { Kafka, logLevel } = createRequire(path.join(process.env.PROBE_REPO_ROOT, 'package.json'))('kafkajs');
const brokers = process.env.PROBE_BROKERS.split(',');
const deadline = Date.now() + Number(process.env.PROBE_TIMEOUT_MS);
const pid = process.env.PROBE_PID ? Number(process.env.PROBE_PID) : undefined;

// A zombie still answers kill(pid, 0); /proc/<pid>/stat tells them apart (state 'Z').
function processAlive() {
  if (pid === undefined) return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function attempt() {
  const kafka = new Kafka({
    clientId: 'pcn-kafka-probe',
    brokers,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no broker registered yet');
    const topics = await admin.listTopics();
    return { cluster, topics };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

(async () => {
  let lastError = 'no attempt made';
  for (;;) {
    if (!processAlive()) {
      console.error(`broker process ${pid} exited (last client error: ${lastError})`);
      process.exit(2);
    }
    try {
      const { cluster, topics } = await attempt();
      const nodes = cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(',');
      console.log(`cluster ${cluster.clusterId}, brokers ${nodes}, ${topics.length} topic(s)`);
      process.exit(0);
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      console.error(`no answer from ${brokers.join(',')} (last client error: ${lastError})`);
      process.exit(1);
    }
    await sleep(1000);
  }
})();
JS
}

write_config() {
  cat >"$CONFIG_FILE" <<EOF
# Generated by scripts/kafka/kafka.sh on every start; edit the script, not this file.
# Single-node KRaft: this process is both the only broker and the only controller.
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT

log.dirs=$DATA_DIR

# One replica of everything, or internal topics (consumer offsets, producer state) never appear.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1

# Topics created on first use get 3 partitions, so per-key ordering is actually exercised.
auto.create.topics.enable=true
num.partitions=3
delete.topic.enable=true

# Consumer groups form immediately instead of waiting for more members.
group.initial.rebalance.delay.ms=0

# Sized for a 2-core development machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
EOF
}

write_log4j_configs() {
  cat >"$LOG4J_FILE" <<'EOF'
# Generated by scripts/kafka/kafka.sh. Broker output goes to stdout, which the script
# redirects to kafka.log (rotated to kafka.log.1 on each start).
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
EOF
  cat >"$TOOLS_LOG4J_FILE" <<'EOF'
# Generated by scripts/kafka/kafka.sh for one-shot tools (storage formatting): warnings only.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

run_tool() {
  java -Xmx256m -Dlog4j.configuration="file:$TOOLS_LOG4J_FILE" -cp "$LIBS_DIR/*" "$@" 9>&-
}

cmd_fetch() {
  take_lock
  do_fetch
}

do_fetch() {
  local version
  version="$(kafka_version)"
  [[ -n "$version" ]] || die "cannot read <kafka.version> from $POM"
  if jars_present; then
    log "Kafka $version jars already in $LIBS_DIR ($(find "$LIBS_DIR" -name '*.jar' | wc -l) jars), skipping fetch"
    return 0
  fi
  if running_pid >/dev/null; then
    die "the broker is running on jars that no longer match $POM; run 'kafka.sh stop' first"
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found on PATH (needed once to resolve the Kafka jars)"
  log "resolving org.apache.kafka:kafka_2.13:$version and its runtime dependencies from Maven Central"
  local staging started mvn_log="$KAFKA_HOME/fetch.log"
  staging="$(mktemp -d "$KAFKA_HOME/libs.staging.XXXXXX")"
  chmod 755 "$staging"
  started="$SECONDS"
  if ! mvn -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DoutputDirectory="$staging" -DincludeScope=runtime >"$mvn_log" 2>&1 9>&-; then
    rm -rf -- "$staging"
    warn "last lines of $mvn_log:"
    tail -n 30 "$mvn_log" | sed 's/^/    /' >&2
    die "mvn could not resolve the Kafka jars (is Maven Central reachable?)"
  fi
  if [[ ! -f "$staging/kafka_2.13-$version.jar" ]]; then
    rm -rf -- "$staging"
    die "mvn finished but kafka_2.13-$version.jar is missing from the resolved set"
  fi
  expected_marker >"$staging/.fetched"
  rm -rf -- "$LIBS_DIR"
  mv -- "$staging" "$LIBS_DIR"
  log "fetched $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS_DIR" | cut -f 1)) into $LIBS_DIR in $((SECONDS - started)) s"
}

format_storage_if_needed() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  mkdir -p -- "$DATA_DIR"
  local cluster_id
  cluster_id="$(run_tool kafka.tools.StorageTool random-uuid | tail -n 1)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "kafka.tools.StorageTool random-uuid returned '$cluster_id'"
  log "formatting $DATA_DIR for new cluster $cluster_id"
  run_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG_FILE" | sed 's/^/[kafka]   /'
  [[ -f "$DATA_DIR/meta.properties" ]] || die "storage formatting did not write $DATA_DIR/meta.properties"
}

print_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    warn "last lines of $LOG_FILE:"
    tail -n "${1:-40}" "$LOG_FILE" | sed 's/^/    /' >&2
  fi
}

cmd_start() {
  take_lock
  local pid
  if pid="$(running_pid)"; then
    local info
    if info="$(probe 10 "$pid")"; then
      log "already running (pid $pid): $info"
      log "KAFKA_BROKERS=$BROKERS"
      return 0
    fi
    log "broker process $pid is alive but not answering yet; waiting up to ${KAFKA_START_TIMEOUT} s"
    if info="$(probe "$KAFKA_START_TIMEOUT" "$pid")"; then
      log "up (pid $pid): $info"
      log "KAFKA_BROKERS=$BROKERS"
      return 0
    fi
    print_log_tail
    die "broker process $pid does not answer on $BROKERS; try 'kafka.sh stop' then 'kafka.sh start'"
  fi
  rm -f -- "$PID_FILE"

  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      die "127.0.0.1:$port is already taken by another process (not the broker from $KAFKA_HOME): $(ss -ltnpH "sport = :$port" 2>/dev/null | awk '{print $NF}' | head -n 1)"
    fi
  done

  require_java
  require_kafkajs
  do_fetch
  write_config
  write_log4j_configs
  format_storage_if_needed

  [[ -f "$LOG_FILE" ]] && mv -f -- "$LOG_FILE" "$LOG_FILE.1"
  log "starting Kafka $(kafka_version) (KRaft broker+controller) on $BROKERS, controller 127.0.0.1:$KAFKA_CONTROLLER_PORT"
  local started="$SECONDS"
  # setsid: the broker gets its own session, so neither Ctrl-C on this script nor a process-group
  # kill of the caller (test runner, CI step) takes it down. The inner shell records its pid and
  # execs java, so the pid file holds the JVM's pid. fd 9 (the lock) must not leak into the JVM.
  # shellcheck disable=SC2086 # heap and JVM options are deliberately word-split
  PID_FILE="$PID_FILE" setsid nohup bash -c 'echo "$$" >"$PID_FILE"; exec "$@"' kafka-broker \
    java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    $KAFKA_JVM_OPTS -Dlog4j.configuration="file:$LOG4J_FILE" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$CONFIG_FILE" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &

  local waited=0
  until pid="$(read_pid)"; do
    ((waited < 50)) || die "the broker launcher did not write $PID_FILE"
    sleep 0.1
    waited=$((waited + 1))
  done

  local info rc=0
  info="$(probe "$KAFKA_START_TIMEOUT" "$pid" 2>&1)" || rc=$?
  if ((rc == 0)); then
    log "up in $((SECONDS - started)) s (pid $pid): $info"
    log "KAFKA_BROKERS=$BROKERS"
    return 0
  fi
  warn "$info"
  print_log_tail 60
  if ((rc == 2)); then
    rm -f -- "$PID_FILE"
    die "the broker exited during startup (full log: $LOG_FILE)"
  fi
  die "the broker did not serve clients within ${KAFKA_START_TIMEOUT} s; it is still running as pid $pid (run 'kafka.sh stop' to end it)"
}

cmd_stop() {
  take_lock
  local pid
  if ! pid="$(running_pid)"; then
    if [[ -f "$PID_FILE" ]]; then
      log "not running (removing stale pid file)"
      rm -f -- "$PID_FILE"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping broker (pid $pid, SIGTERM, up to ${KAFKA_STOP_TIMEOUT} s for a controlled shutdown)"
  local started="$SECONDS"
  kill -TERM "$pid" 2>/dev/null || true
  while broker_process_alive "$pid"; do
    if ((SECONDS - started >= KAFKA_STOP_TIMEOUT)); then
      warn "still alive after ${KAFKA_STOP_TIMEOUT} s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      local waited=0
      while broker_process_alive "$pid" && ((waited < 50)); do
        sleep 0.1
        waited=$((waited + 1))
      done
      broker_process_alive "$pid" && die "pid $pid survived SIGKILL"
      break
    fi
    sleep 0.2
  done
  rm -f -- "$PID_FILE"
  log "stopped in $((SECONDS - started)) s"
}

cmd_status() {
  local pid info
  if ! pid="$(running_pid)"; then
    if port_in_use "$KAFKA_PORT"; then
      log "no broker from $KAFKA_HOME is running, but something else listens on 127.0.0.1:$KAFKA_PORT"
    else
      log "not running"
    fi
    return 3
  fi
  if info="$(probe 10 "$pid" 2>&1)"; then
    log "up (pid $pid): $info"
    log "KAFKA_BROKERS=$BROKERS"
    log "data $DATA_DIR, log $LOG_FILE"
    return 0
  fi
  log "process $pid is alive but does not answer on $BROKERS: $info"
  return 1
}

cmd_logs() {
  local follow=0 lines=100 arg
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      *[!0-9]* | '') die "usage: kafka.sh logs [-f] [lines]" ;;
      *) lines="$arg" ;;
    esac
  done
  [[ -f "$LOG_FILE" ]] || die "no log yet at $LOG_FILE (the broker has never been started from this cache)"
  if ((follow)); then
    exec tail -n "$lines" -F "$LOG_FILE"
  fi
  tail -n "$lines" "$LOG_FILE"
}

usage() {
  cat <<EOF
usage: $(basename "$0") <command>
  fetch        resolve the Kafka jars from Maven Central into $LIBS_DIR (skipped when present)
  start        fetch if needed, format storage if new, start the broker and wait until it serves clients
  stop         stop the broker (SIGTERM, then SIGKILL after \$KAFKA_STOP_TIMEOUT s)
  status       exit 0 when the broker answers, 1 when its process is alive but silent, 3 when stopped
  logs [-f] [n]  print (or follow) the last n lines of the broker log (default 100)
EOF
}

main() {
  local command="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$command" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 64
      ;;
  esac
}

main "$@"
