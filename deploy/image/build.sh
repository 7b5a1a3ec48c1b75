#!/usr/bin/env bash
# Builds Herald's container image with no Docker engine and no image registry: target/herald-image.tar, an OCI
# archive (load it with `podman load -i`, `docker load -i` or `skopeo copy oci-archive:...`).
#  1. The base image, built from Debian packages by mmdebstrap (Debian's bookworm: a JRE, CA certificates, bash, a
#     user 10001 and its /data), kept as target/herald-base.tar, a docker-archive (rebuilt only when this script or
#     its package list changes; delete it to rebuild).
#  2. Herald on top of it, by Jib (the image profile in pom.xml): the fast-jar in /app, dependencies in their own
#     layer, run as 10001 with /data as its volume. ADR 0016 says why.
# Needs: Java 17, Maven, and (as root, or with sudo) Debian's mmdebstrap. Usage: deploy/image/build.sh [-DskipTests]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=target/herald-base.tar
packages="openjdk-17-jre-headless,ca-certificates,tzdata"
stamp="$(sha256sum deploy/image/build.sh | cut -c1-16)"
mkdir -p target
if [ ! -f "$base" ] || [ "$(cat "$base.stamp" 2>/dev/null)" != "$stamp" ]; then
  command -v mmdebstrap > /dev/null || { echo "mmdebstrap is missing: apt-get install mmdebstrap" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "[image] base: Debian bookworm with $packages (mmdebstrap)"
  # essential: no apt and no passwd tools (the user is two lines), no package manager state beyond dpkg's; documentation and translations left out (man1 kept as
  # an empty directory: the JRE's postinst links its man pages there).
  mmdebstrap --variant=essential --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='echo "herald:x:10001:" >> "$1/etc/group"' \
    --customize-hook='echo "herald:x:10001:10001:Herald:/data:/bin/false" >> "$1/etc/passwd"' \
    --customize-hook='mkdir -p "$1/data" && chown 10001:10001 "$1/data" && chmod 0750 "$1/data"' \
    --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/tmp/* && mkdir -p "$1/var/cache" "$1/var/log"' \
    bookworm "$work/layer.tar"
  diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"User":"10001:10001","WorkingDir":"/data","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/image/build.sh: mmdebstrap --variant=essential bookworm $packages"}]}
JSON
  echo '[{"Config":"config.json","RepoTags":["herald-base:bookworm"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
  tar -C "$work" -cf "$base" config.json manifest.json layer.tar
  echo "$stamp" > "$base.stamp"
fi
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
source_url="$(git config --get remote.origin.url 2>/dev/null || echo unknown)"
mvn -B -Pimage package -Dimage.revision="$revision" -Dimage.source="$source_url" "$@"
echo "[image] target/herald-image.tar: $(du -h target/herald-image.tar | cut -f1)"
