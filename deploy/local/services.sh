#!/usr/bin/env bash
# Makes PostgreSQL 15, Redis 7 and RabbitMQ 3.10 available on loopback for the gateway, the tests and run.sh.
#
# There is no Docker engine on our machines, so this installs Debian's packages when they are missing and
# starts the servers itself. A service whose port already answers is reused as it is (a developer's own
# server, or a second run). Safe to run twice or concurrently: the whole script holds one flock.
#
# Settings (environment, all optional):
#   OBOTR_PG_PORT (5432)  OBOTR_REDIS_PORT (6379)  OBOTR_RABBITMQ_PORT (5672)
#   OBOTR_DB_USER (obotr)  OBOTR_DB_PASSWORD (obotr)  OBOTR_DB_NAME (obotr)
# Source it (`. deploy/local/services.sh`) to get ConnectionStrings__* exported, or run it to just start things.
set -euo pipefail

PG_PORT=${OBOTR_PG_PORT:-5432}
REDIS_PORT=${OBOTR_REDIS_PORT:-6379}
RABBITMQ_PORT=${OBOTR_RABBITMQ_PORT:-5672}
DB_USER=${OBOTR_DB_USER:-obotr}
DB_PASSWORD=${OBOTR_DB_PASSWORD:-obotr}
DB_NAME=${OBOTR_DB_NAME:-obotr}

svc_say() { printf '[services] %s\n' "$*" >&2; }
svc_fail() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# Servers are started with 9>&- so they do not inherit (and keep holding) our lock.
# Port check without extra tools: bash's /dev/tcp.
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # name port seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do
    answers "$2" && return 0
    sleep 0.25
  done
  svc_fail "$1 did not start listening on 127.0.0.1:$2 within $3 s"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@" || svc_fail "need root for: $* (sudo -n refused)"
  else svc_fail "need root (or passwordless sudo) for: $*"
  fi
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
  else sudo -n -u postgres "$@" || svc_fail "cannot run as the postgres user: $*"
  fi
}

install_missing() {
  local wanted=()
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/15/bin/postgres >/dev/null 2>&1 || wanted+=(postgresql-15 postgresql-client-15)
  command -v redis-server >/dev/null || wanted+=(redis-server)
  command -v redis-cli >/dev/null || wanted+=(redis-tools)
  command -v rabbitmq-server >/dev/null || wanted+=(rabbitmq-server)
  command -v curl >/dev/null || wanted+=(curl ca-certificates)
  [ ${#wanted[@]} -eq 0 ] && return 0
  svc_say "installing Debian packages: ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || svc_fail "apt-get update failed (is a Debian mirror reachable?)"
  as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${wanted[@]}" >&2 \
    || svc_fail "apt-get install ${wanted[*]} failed"
}

start_postgres() {
  if answers "$PG_PORT"; then
    svc_say "PostgreSQL: reusing the server on 127.0.0.1:$PG_PORT"
  else
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "15 main"; then
      svc_say "PostgreSQL: creating cluster 15/main"
      as_root pg_createcluster 15 main -p "$PG_PORT" >&2 || svc_fail "pg_createcluster 15 main failed"
    fi
    # Debian's default of 100 connections is too few for a gateway, a simulator and a test run or two at once (each
    # gateway pool may open up to 100); only set when we start the cluster, never on a server someone else runs.
    as_root pg_conftool 15 main set max_connections 300 >&2 || svc_say "PostgreSQL: could not raise max_connections; keeping the default"
    svc_say "PostgreSQL: starting cluster 15/main on port $PG_PORT"
    as_root pg_ctlcluster 15 main start >&2 9>&- || svc_fail "pg_ctlcluster 15 main start failed (see /var/log/postgresql)"
    wait_for PostgreSQL "$PG_PORT" 30
  fi
  # Role and database the apps use. CREATEDB lets the test fixture create one isolated database per run.
  if as_postgres psql -p "$PG_PORT" -h /var/run/postgresql -tAc 'select 1' >/dev/null 2>&1; then
    as_postgres psql -q -p "$PG_PORT" -h /var/run/postgresql -v ON_ERROR_STOP=1 >/dev/null <<SQL || svc_fail "could not create role $DB_USER / database $DB_NAME"
SELECT pg_advisory_lock(4242);
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE "$DB_NAME" OWNER "$DB_USER"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')\gexec
SELECT pg_advisory_unlock(4242);
SQL
  else
    svc_say "PostgreSQL: not a local cluster we administer; assuming role $DB_USER and database $DB_NAME exist"
  fi
}

start_redis() {
  if answers "$REDIS_PORT"; then
    svc_say "Redis: reusing the server on 127.0.0.1:$REDIS_PORT"
    return
  fi
  svc_say "Redis: starting on 127.0.0.1:$REDIS_PORT"
  mkdir -p /tmp/obotr-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir /tmp/obotr-redis \
    --logfile /tmp/obotr-redis/redis.log --save "" --appendonly no >&2 9>&- || svc_fail "redis-server did not start"
  wait_for Redis "$REDIS_PORT" 15
}

start_rabbitmq() {
  if answers "$RABBITMQ_PORT"; then
    svc_say "RabbitMQ: reusing the broker on 127.0.0.1:$RABBITMQ_PORT"
    return
  fi
  svc_say "RabbitMQ: starting (takes a few seconds)"
  # The Debian wrapper drops to the rabbitmq user itself when run as root.
  as_root env \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBITMQ_PORT" rabbitmq-server -detached >&2 9>&- \
    || svc_fail "rabbitmq-server -detached failed (see /var/log/rabbitmq)"
  # await_startup errors out at once while the node is not registered yet, so ask until it answers.
  local deadline=$((SECONDS + 120))
  until as_root rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || svc_fail "RabbitMQ did not finish starting within 120 s (see /var/log/rabbitmq)"
    sleep 1
  done
  wait_for RabbitMQ "$RABBITMQ_PORT" 30
}

main() {
  mkdir -p /tmp/obotr-locks
  exec 9>/tmp/obotr-locks/services.lock
  flock -w 600 9 || svc_fail "another services.sh has held the lock for 10 minutes"
  if ! answers "$PG_PORT" || ! answers "$REDIS_PORT" || ! answers "$RABBITMQ_PORT"; then
    install_missing
  fi
  start_postgres
  start_redis
  start_rabbitmq
  flock -u 9
  svc_say "ready: PostgreSQL :$PG_PORT, Redis :$REDIS_PORT, RabbitMQ :$RABBITMQ_PORT"
}

main

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASSWORD"
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export ConnectionStrings__RabbitMq="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
