#!/usr/bin/env bash
# Make sure a Docker engine answers, starting (or installing) one when we are allowed to.
#
#   docker/ensure-engine.sh            # exit 0 once `docker info` answers
#
# A fresh CI machine has the Docker client but no engine; Debian's docker.io gives one.
# We start dockerd ourselves (no systemd in these machines) and log to $FAULTLINE_DOCKERD_LOG.
set -euo pipefail

LOG="${FAULTLINE_DOCKERD_LOG:-/var/log/faultline-dockerd.log}"
WAIT_SECONDS="${FAULTLINE_DOCKERD_WAIT:-60}"

say() { printf 'ensure-engine: %s\n' "$*" >&2; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

if ! command -v docker >/dev/null 2>&1 && ! command -v dockerd >/dev/null 2>&1; then
    : # neither client nor engine: the install branch below handles it
elif engine_answers; then
    say "engine already answers"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
        say "no dockerd: installing docker.io and mmdebstrap from Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq docker.io mmdebstrap >/dev/null
    else
        say "no Docker engine and cannot install one here (need root on Debian)."
        say "install Docker (Debian: apt-get install docker.io), start it, then re-run this script"
        exit 1
    fi
fi

if [ "$(id -u)" -ne 0 ]; then
    say "dockerd is installed but not answering, and only root can start it: run 'sudo $0'"
    exit 1
fi

# A stale pid file from a killed dockerd makes the next start refuse to run.
if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
fi

say "starting dockerd (log: $LOG)"
mkdir -p "$(dirname "$LOG")"
# setsid + nohup: the engine must outlive this script and the shell that ran it.
setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &

for _ in $(seq 1 "$WAIT_SECONDS"); do
    if engine_answers; then
        say "engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
        exit 0
    fi
    sleep 1
done
say "dockerd did not answer within ${WAIT_SECONDS}s; last lines of $LOG:"
tail -n 20 "$LOG" >&2 || true
exit 1
