#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The container files (docker/, docs/packaging.md) without a container engine: each
# Dockerfile's build stage runs what CI runs (scripts/install-deps.sh, make install into a
# staging root), what its runtime stage copies is what make install writes there, the runtime
# libraries come from scripts/runtime-packages.sh, the exporter's image runs as a user of its
# own; docker/compose.yaml and the Grafana provisioning it mounts parse, every file it mounts
# exists, Prometheus's configuration passes promtool and scrapes the exporter service.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_SOURCE_DIR
make_test_tmp
src=$NVITOP_SOURCE_DIR
docker=$src/docker

# CI's commands: .ci/run installs the dependencies with scripts/install-deps.sh, and the
# Makefile's install target runs cmake --install.
grep -qx 'scripts/install-deps.sh' "$src/.ci/run" || fail ".ci/run no longer runs scripts/install-deps.sh"
make -s -n -C "$src" install PREFIX=/usr/local | grep -q 'cmake --install' ||
    fail "make install does not run cmake --install"

# The staging root of the build stage, made from this build tree the way make install makes it.
staging=$TEST_TMP/staging
DESTDIR=$staging cmake --install "$NVITOP_BUILD_DIR" --prefix /usr/local >"$TEST_TMP/install.log" 2>&1 ||
    fail "cmake --install: $(cat "$TEST_TMP/install.log")"

# stage FILE N: the lines of the Nth stage (FROM ... to the next FROM) of a Dockerfile, with
# continuation lines joined.
stage() {
    sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$1" | awk -v n="$2" '/^FROM /{i++} i==n'
}

for file in Dockerfile Dockerfile.exporter; do
    df=$docker/$file
    [ -f "$df" ] || fail "docker/$file missing"
    [ "$(grep -c '^FROM ' "$df")" -eq 2 ] || fail "docker/$file: not two stages (build, runtime)"
    build=$(stage "$df" 1)
    runtime=$(stage "$df" 2)
    assert_eq "$(head -n 1 <<<"$build")" "FROM debian:bookworm-slim AS build" "docker/$file build stage"
    assert_eq "$(head -n 1 <<<"$runtime")" "FROM debian:bookworm-slim" "docker/$file runtime stage"
    grep -qx 'RUN scripts/install-deps.sh' <<<"$build" ||
        fail "docker/$file: the build stage does not run scripts/install-deps.sh as CI does"
    grep -qxE 'RUN DESTDIR=/staging make install PREFIX=/usr/local( CMAKE_ARGS=[^ ]+)?' <<<"$build" ||
        fail "docker/$file: the build stage does not run make install into /staging"
    grep -q 'RUN scripts/runtime-packages.sh ' <<<"$build" ||
        fail "docker/$file: the runtime libraries are not those scripts/runtime-packages.sh finds"
    # Every file the runtime stage copies from /staging/usr/local is one make install writes.
    copies=$(sed -n 's|^COPY --from=build /staging\(/usr/local/[^ ]*\) .*|\1|p' <<<"$runtime")
    [ -n "$copies" ] || fail "docker/$file copies nothing from the build stage"
    for path in $copies; do
        [ -e "$staging$path" ] || fail "docker/$file copies $path, which make install does not write"
    done
    # The packages the runtime stage installs are found for the programs it copies.
    progs=$(sed -n 's|^RUN scripts/runtime-packages.sh \(.*\) >/staging/runtime-packages$|\1|p' <<<"$build")
    [ -n "$progs" ] || fail "docker/$file: no program list for scripts/runtime-packages.sh"
    # shellcheck disable=SC2086 # the Dockerfile's globs, expanded under the staging root
    pkgs=$(cd "$staging" && "$src/scripts/runtime-packages.sh" ${progs//\/staging\//.\/}) ||
        fail "docker/$file: scripts/runtime-packages.sh $progs failed"
    assert_contains "$pkgs" libc6 "docker/$file's runtime packages"
    grep -q '^ENTRYPOINT \["/usr/local/bin/nvitop' <<<"$runtime" || fail "docker/$file: no ENTRYPOINT"
done
grep -q 'libmicrohttpd' <<<"$(cd "$staging" && "$src/scripts/runtime-packages.sh" ./usr/local/bin/nvitop-exporter)" ||
    fail "runtime-packages.sh misses nvitop-exporter's libmicrohttpd"
grep -q 'docker run -it --rm --gpus all --pid=host nvitop' "$docker/Dockerfile" ||
    fail "docker/Dockerfile does not document its docker run"
user=$(stage "$docker/Dockerfile.exporter" 2 | sed -n 's/^USER //p')
case "$user" in
"" | root | 0) fail "docker/Dockerfile.exporter does not run as a user of its own (USER '$user')" ;;
esac
stage "$docker/Dockerfile.exporter" 2 | grep -q "useradd .* $user\$" || fail "USER $user is not created"

# compose.yaml and the provisioning files it mounts: YAML, the files there, the names agreeing.
command -v promtool >/dev/null || fail "promtool not found (scripts/install-deps.sh installs prometheus)"
/usr/bin/python3 - "$docker" "$TEST_TMP" <<'PY' || fail "docker/compose.yaml: see above"
import os, re, sys
import yaml

docker, tmp = sys.argv[1], sys.argv[2]
def load(path):
    with open(path) as f:
        return yaml.safe_load(f)

compose = load(os.path.join(docker, "compose.yaml"))
services = compose["services"]
assert set(services) == {"nvitop-exporter", "prometheus", "grafana"}, services.keys()
exporter = services["nvitop-exporter"]
build = exporter["build"]
assert os.path.isfile(os.path.join(docker, build["context"], build["dockerfile"])), build
assert exporter["pid"] == "host", "the exporter needs the host's processes"
assert exporter["deploy"]["resources"]["reservations"]["devices"][0]["driver"] == "nvidia"
cmd = exporter["command"]
port = cmd[cmd.index("--port") + 1]
mounts = {}
for name, service in services.items():
    for volume in service.get("volumes", []):
        host, target = volume.split(":")[:2]
        if host.startswith("."):
            path = os.path.normpath(os.path.join(docker, host))
            assert os.path.isfile(path), f"{name} mounts {host}, which does not exist"
            mounts[target] = path
        else:
            assert host in compose["volumes"], f"{name}: volume {host} not declared"

# Prometheus: its configuration, checked by promtool, scrapes the exporter service's port.
prom_cfg = mounts["/etc/prometheus/prometheus.yml"]
assert "--config.file=/etc/prometheus/prometheus.yml" in services["prometheus"]["command"]
targets = load(prom_cfg)["scrape_configs"][0]["static_configs"][0]["targets"]
assert f"nvitop-exporter:{port}" in targets, targets
with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
    f.write(prom_cfg)

# Grafana: the data source is the Prometheus service; the dashboard provider reads the folder
# dashboard.json is mounted in.
ds = load(mounts["/etc/grafana/provisioning/datasources/nvitop.yml"])["datasources"][0]
assert ds["type"] == "prometheus" and ds["url"] == "http://prometheus:9090", ds
provider = load(mounts["/etc/grafana/provisioning/dashboards/nvitop.yml"])["providers"][0]
dashboard_target = [t for t, p in mounts.items() if p.endswith("grafana/dashboard.json")]
assert dashboard_target, "grafana/dashboard.json is not mounted"
assert os.path.dirname(dashboard_target[0]) == provider["options"]["path"], (dashboard_target, provider)
assert re.fullmatch(r"[a-z0-9.]+/[a-z0-9.]+:v?[0-9.]+", services["prometheus"]["image"])
assert re.fullmatch(r"[a-z0-9.]+/[a-z0-9.]+:v?[0-9.]+", services["grafana"]["image"])
print("compose: ok")
PY
promtool check config "$(cat "$TEST_TMP/prometheus.yml")" >"$TEST_TMP/promtool" 2>&1 ||
    fail "promtool check config: $(cat "$TEST_TMP/promtool")"
echo "docker files: ok"
