#!/usr/bin/env bash
# Build the sandbox's base image from Debian packages, since no container registry is
# reachable (python:3.11-slim cannot be pulled). Bookworm's python3 is 3.11, matching the
# cp311 wheels in the wheelhouse.
#
#   docker/build-base.sh [TAG]        # default TAG: faultline-base:bookworm
#
# The rootfs tarball is kept under $FAULTLINE_CACHE (default ~/.cache/faultline), out of git.
set -euo pipefail

TAG="${1:-faultline-base:bookworm}"
CACHE="${FAULTLINE_CACHE:-$HOME/.cache/faultline}"
ROOTFS="$CACHE/rootfs-bookworm.tar"

say() { printf 'build-base: %s\n' "$*" >&2; }

if ! command -v mmdebstrap >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing mmdebstrap"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
    else
        say "mmdebstrap is missing: apt-get install mmdebstrap (as root), or pass an existing image with --base"
        exit 1
    fi
fi

mkdir -p "$CACHE"
if [ ! -s "$ROOTFS" ]; then
    say "bootstrapping bookworm into $ROOTFS"
    # python3-venv brings ensurepip's pip wheel, so the image installs the wheelhouse offline
    # into a venv without Debian's pip. Docs, man pages and locales are dead weight here.
    mmdebstrap --variant=minbase --mode=root --format=tar \
        --include=python3,python3-venv \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --aptopt='Acquire::Retries "3"' \
        bookworm "$ROOTFS.part"
    mv "$ROOTFS.part" "$ROOTFS"
fi

say "importing $ROOTFS as $TAG"
docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    "$ROOTFS" "$TAG" >/dev/null
say "done: $TAG"
