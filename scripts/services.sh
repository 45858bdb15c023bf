# Starts the local Redis and PostgreSQL when they are not answering (sourced by demo.sh and .ci/run).
# On this kind of machine both are installed from Debian packages; elsewhere use docker-compose.yml.

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  echo "redis: not answering on 127.0.0.1:6379; starting redis-server (AOF on, noeviction)"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --dir /var/lib/redis \
    --logfile /var/log/redis/callpipe.log --appendonly yes --appendfsync everysec \
    --maxmemory-policy noeviction --save ""
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis: did not come up" >&2; return 1
}

ensure_postgres() {
  if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then return 0; fi
  echo "postgresql: not answering on 127.0.0.1:5432; starting the cluster"
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$version" ]; then echo "postgresql: no cluster under /etc/postgresql (install postgresql, or use docker-compose.yml)" >&2; return 1; fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 100); do pg_isready -h 127.0.0.1 -p 5432 -q && return 0; sleep 0.1; done
  echo "postgresql: did not come up" >&2; return 1
}
