#!/usr/bin/env bash
# Stops the local infrastructure started by scripts/infra/up.sh. Only Kafka is stopped:
# PostgreSQL is the machine's own service and other work may rely on it, so it is left running.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

bash "$REPO_ROOT/scripts/kafka/kafka.sh" stop
printf '[infra] Kafka is stopped; PostgreSQL is left as it was (the machine'\''s service)\n'
