#!/usr/bin/env bash
# Installs with apt, when missing, what the thumbnailer's native addon (scaled_jpeg.node) needs:
#   always:   a C compiler and libjpeg-turbo headers (`pnpm install` builds the addon for this machine)
#   --arm64:  Debian's arm64 cross compiler and arm64 libjpeg-turbo (`pnpm artifacts`, and so the
#             infra tests and `pnpm synth`, cross-build it for Lambda; see docs/deploy.md), and
#             qemu-user-static (the infra test that runs the built addon on arm64)
# Idempotent and quiet: nothing to do costs a few file checks and prints nothing; otherwise one
# line says what was installed (apt's output only on failure). Root, or sudo.
set -euo pipefail

arm64=false
[ "${1:-}" = "--arm64" ] && arm64=true
distro=$( (. /etc/os-release 2>/dev/null && echo "${ID:-}") || true)
have() { command -v "$1" > /dev/null 2>&1; }

packages=()
add_arch=false
if ! have cc || [ ! -f /usr/include/jpeglib.h ]; then
  # Ubuntu's libjpeg-turbo is libjpeg.so.8 (libjpeg-turbo8-dev); Debian's is libjpeg.so.62.
  if [ "$distro" = ubuntu ]; then packages+=(gcc libjpeg-turbo8-dev); else packages+=(gcc libjpeg62-turbo-dev); fi
fi
if $arm64 && { ! have aarch64-linux-gnu-gcc || [ ! -e /usr/lib/aarch64-linux-gnu/libjpeg.so ]; }; then
  if [ "$distro" != debian ]; then
    echo "native-deps: the linux-arm64 addon is cross-built with Debian's packages (libjpeg.so.62); run this on Debian bookworm (e.g. the node:22-bookworm image)" >&2
    exit 1
  fi
  dpkg --print-foreign-architectures | grep -qx arm64 || add_arch=true
  packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross libjpeg62-turbo-dev:arm64)
fi
if $arm64 && ! have qemu-aarch64-static; then packages+=(qemu-user-static); fi
[ ${#packages[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$SECONDS
if ! { { ! $add_arch || "${sudo[@]}" dpkg --add-architecture arm64; } &&
  "${sudo[@]}" apt-get update -qq &&
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"; } > "$log" 2>&1; then
  cat "$log" >&2
  echo "native-deps: apt-get install ${packages[*]} failed" >&2
  exit 1
fi
echo "native-deps: installed ${packages[*]} ($((SECONDS - start)) s)"
