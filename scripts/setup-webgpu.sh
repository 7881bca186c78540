#!/usr/bin/env bash
# setup-webgpu.sh: fetch Mesa's lavapipe (software Vulkan) driver, version
# 25.x or later, from Debian bookworm-backports into <repo>/.cache/lavapipe/,
# so that Dawn (the `webgpu` npm package) can give Node a WebGPU adapter on a
# machine without a GPU. Bookworm's own Mesa 22.3 is rejected by Dawn
# ("Vulkan shaderUniform*ArrayDynamicIndexing required").
# See DESIGN.md, section "Backends".
#
# The system's Mesa is never touched: the driver is downloaded with a private
# apt configuration (private sources list, lists and cache under the cache
# folder) and unpacked with `dpkg-deb -x`. Nothing is installed, so this runs
# as root or as an ordinary user who can write to the cache folder.
#
# Prerequisite, installed once by root (the script checks for it):
#   apt-get install -y libvulkan1 mesa-vulkan-drivers
# libvulkan1 (the Vulkan loader) is required. Bookworm's mesa-vulkan-drivers
# is optional but recommended: it pulls in the runtime libraries the driver
# links against (libLLVM-15, libxcb*, libwayland-client, ...). Any library
# the driver still cannot resolve (checked with `ldd -r`) is downloaded
# (from bookworm-backports where it has a good enough version, otherwise from
# bookworm) and unpacked into the cache as well, and env.sh then adds it to
# LD_LIBRARY_PATH.
#
# Usage:
#   scripts/setup-webgpu.sh            # prints the path of env.sh on stdout
#   source .cache/lavapipe/env.sh      # VK_ICD_FILENAMES, XDG_RUNTIME_DIR, ...
#
# Idempotent: when the cache is complete, it only re-checks it (well under a
# second). Environment knobs:
#   FOVEA_LAVAPIPE_DIR=<dir>    cache folder (default <repo>/.cache/lavapipe)
#   FOVEA_LAVAPIPE_REFRESH=1    ignore a complete cache; fetch again (picks up
#                               a newer backports version)
#   FOVEA_LAVAPIPE_FETCH_DEPS=1 also fetch the driver's declared dependencies
#                               whose installed version is older than
#                               declared, even when `ldd -r` is already clean
#
# The Debian mirror is read from /etc/apt/sources.list.d/debian.sources (the
# stanza whose Suites include `bookworm`); no host name is written here.

set -Eeuo pipefail
umask 022

readonly SCRIPT_FORMAT=2 # bump when the cache layout changes
readonly SUITE=bookworm
readonly BACKPORTS=bookworm-backports
readonly MIN_MESA_MAJOR=25
readonly DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
  printf 'setup-webgpu: ERROR: %s\n' "$*" >&2
  exit 1
}
log() { printf 'setup-webgpu: %s\n' "$*" >&2; }
trap 'die "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cache=${FOVEA_LAVAPIPE_DIR:-$repo_root/.cache/lavapipe}
mkdir -p "$cache" || die "cannot create cache folder $cache"
cache=$(cd "$cache" && pwd -P)

# ---------------------------------------------------------------- checks
for tool in apt-get apt-cache dpkg dpkg-deb dpkg-query ldd sed awk find; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "'$tool' not found: this script needs a Debian (bookworm) system"
done
if [[ -r /etc/os-release ]]; then
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  [[ $codename == "$SUITE" ]] ||
    log "warning: this is '$codename', not Debian $SUITE; trying anyway"
fi
if [[ $(dpkg-query -W -f='${db:Status-Status}' libvulkan1 2>/dev/null) != installed ]]; then
  die "the Vulkan loader (libvulkan1) is not installed. As root, run once:
    apt-get install -y libvulkan1 mesa-vulkan-drivers"
fi
arch=$(dpkg --print-architecture)
case $arch in
  amd64) triplet=x86_64-linux-gnu ;;
  arm64) triplet=aarch64-linux-gnu ;;
  *) die "unsupported architecture '$arch' (supported: amd64, arm64)" ;;
esac

lvp=$cache/usr/lib/$triplet/libvulkan_lvp.so
icd=$cache/lvp_icd.json
envsh=$cache/env.sh
stamp=$cache/.stamp
aptlog=$cache/apt.log

# Extra library folders (only those that exist and hold libraries we added).
extra_lib_path() {
  local d out=
  for d in "$cache/usr/lib/$triplet" "$cache/lib/$triplet"; do
    if [[ -d $d ]] && find "$d" -maxdepth 1 -name '*.so*' ! -name 'libvulkan_lvp.so' | grep -q .; then
      out=${out:+$out:}$d
    fi
  done
  printf '%s' "$out"
}

# Prints the problems `ldd -r` finds with the driver (empty when none).
ldd_problems() {
  local llp
  llp=$(extra_lib_path)
  LD_LIBRARY_PATH=${llp}${LD_LIBRARY_PATH:+${llp:+:}$LD_LIBRARY_PATH} \
    ldd -r "$lvp" 2>&1 | grep -E 'not found|undefined symbol|error' || true
}

# ---------------------------------------------------------------- fast path
stamp_want="format=$SCRIPT_FORMAT cache=$cache"
# Exits 0 (printing env.sh) when the cache is complete and the driver loads.
exit_if_cached() {
  [[ ${FOVEA_LAVAPIPE_REFRESH:-0} != 1 && -f $stamp && -f $lvp && -f $icd && -f $envsh ]] || return 0
  [[ $(head -n1 "$stamp") == "$stamp_want" ]] || return 0
  local problems
  problems=$(ldd_problems)
  if [[ -n $problems ]]; then
    log "cached driver no longer loads, fetching again:"
    printf '%s\n' "$problems" >&2
    return 0
  fi
  log "cached: $(sed -n 2p "$stamp") in $cache"
  printf '%s\n' "$envsh"
  exit 0
}
exit_if_cached

# One run at a time per cache folder (parallel CI jobs on one checkout); a
# run that waited finds the cache the other one completed.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
  exit_if_cached
fi

# ---------------------------------------------------------------- apt config
# Mirror URI (and keyring) from the system's deb822 sources: the stanza whose
# Suites list `bookworm`. Falls back to a one-line /etc/apt/sources.list.
read_mirror() {
  local f=/etc/apt/sources.list.d/debian.sources
  if [[ -r $f ]]; then
    awk -v suite="$SUITE" '
      function flush() {
        if (has && uri != "") { print uri "\t" key; found = 1; exit }
        uri = ""; key = ""; has = 0
      }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "uris:"      { uri = $2 }
      tolower($1) == "signed-by:" { key = $2 }
      tolower($1) == "suites:"    { for (i = 2; i <= NF; i++) if ($i == suite) has = 1 }
      END { if (!found) flush() }
    ' "$f"
    return
  fi
  if [[ -r /etc/apt/sources.list ]]; then
    awk -v suite="$SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i "\t"; exit }
      }' /etc/apt/sources.list
  fi
}
mirror_line=$(read_mirror)
uri=${mirror_line%%$'\t'*}
keyring=${mirror_line#*$'\t'}
[[ -n $uri ]] ||
  die "no '$SUITE' entry found in /etc/apt/sources.list.d/debian.sources (nor /etc/apt/sources.list)"
# Signed-By may also hold an inline key block: then use Debian's keyring file.
[[ $keyring == /* ]] || keyring=$DEFAULT_KEYRING
[[ -r $keyring ]] || die "apt keyring $keyring is missing or unreadable"

aptdir=$cache/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/debs"
# Backports for Mesa (and any newer library it needs); the base suite for
# runtime libraries this system lacks altogether.
cat >"$aptdir/sources.list" <<EOF
deb [signed-by=$keyring] $uri $BACKPORTS main
deb [signed-by=$keyring] $uri $SUITE main
EOF
apt_opts=(
  -o "Dir::Etc::SourceList=$aptdir/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$aptdir/lists"
  -o "Dir::Cache=$aptdir/cache"
  -o "Acquire::GzipIndexes=true"
  -o "Acquire::Languages=none"
  -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
  -o "APT::Update::Post-Invoke-Success::="
  -o "APT::Update::Post-Invoke::="
  -o "Debug::NoLocking=true"
)
# As root, apt downloads as user _apt, who cannot write into a root-owned
# folder under the repo; nothing here is installed, so download as root.
[[ $(id -u) == 0 ]] && apt_opts+=(-o "APT::Sandbox::User=root")

apt_run() { # apt_run apt-get|apt-cache args... (output to the log; shown on failure)
  local tool=$1
  shift
  if ! "$tool" -q "${apt_opts[@]}" "$@" >>"$aptlog" 2>&1; then
    tail -n 30 "$aptlog" >&2
    die "'$tool $*' failed (full log: $aptlog)"
  fi
}

: >"$aptlog"
log "updating private apt lists ($BACKPORTS + $SUITE from $uri)"
apt_run apt-get update
if grep -qE '^(W|E): ' "$aptlog"; then
  grep -E '^(W|E): ' "$aptlog" >&2
  die "apt-get update reported problems (full log: $aptlog)"
fi

# ---------------------------------------------------------------- mesa
# Start from a clean tree (keep apt state).
find "$cache" -mindepth 1 -maxdepth 1 ! -name apt ! -name .lock ! -name apt.log -exec rm -rf {} +

debs=$aptdir/debs
rm -f "$debs"/*.deb
mesa_ver=$(apt-cache "${apt_opts[@]}" show "mesa-vulkan-drivers/$BACKPORTS" 2>/dev/null |
  sed -n 's/^Version: //p' | head -n1)
[[ -n $mesa_ver ]] || die "mesa-vulkan-drivers is not available from $BACKPORTS ($uri)"
mesa_major=${mesa_ver%%.*}
mesa_major=${mesa_major#*:}
[[ $mesa_major =~ ^[0-9]+$ ]] && ((mesa_major >= MIN_MESA_MAJOR)) ||
  die "$BACKPORTS offers mesa-vulkan-drivers $mesa_ver; Dawn needs >= $MIN_MESA_MAJOR"
log "downloading mesa-vulkan-drivers $mesa_ver from $BACKPORTS"
(cd "$debs" && apt_run apt-get download "mesa-vulkan-drivers/$BACKPORTS")
mesa_deb=$(find "$debs" -maxdepth 1 -name 'mesa-vulkan-drivers_*.deb' | head -n1)
[[ -n $mesa_deb ]] || die "download of mesa-vulkan-drivers produced no .deb"

# Keep only lavapipe (the other drivers are ~50 MB of hardware drivers).
stage=$cache/.stage
rm -rf "$stage"
dpkg-deb -x "$mesa_deb" "$stage"
[[ -f $stage/usr/lib/$triplet/libvulkan_lvp.so ]] ||
  die "mesa-vulkan-drivers $mesa_ver has no usr/lib/$triplet/libvulkan_lvp.so"
mkdir -p "$cache/usr/lib/$triplet" "$cache/usr/share/doc/mesa-vulkan-drivers"
mv "$stage/usr/lib/$triplet/libvulkan_lvp.so" "$lvp"
cp "$stage/usr/share/doc/mesa-vulkan-drivers/copyright" "$cache/usr/share/doc/mesa-vulkan-drivers/" 2>/dev/null || true
api_version=$(sed -n 's/.*"api_version"[[:space:]]*:[[:space:]]*"\([0-9.]*\)".*/\1/p' \
  "$stage"/usr/share/vulkan/icd.d/lvp_icd*.json 2>/dev/null | head -n1)
[[ -n $api_version ]] || die "cannot read api_version from the package's lvp_icd.json"
rm -rf "$stage"

# ---------------------------------------------------------------- libraries
# Depends/Pre-Depends of a .deb, one alternative group per line:
#   name op version | name op version ...
deb_depends() {
  dpkg-deb -f "$1" Depends Pre-Depends | sed -e 's/^[A-Za-z-]*: //' | tr ',' '\n' |
    sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d'
}
declare -A fetched=([mesa-vulkan-drivers]=1)

# dep_ok NAME OP VERSION: installed in the system (or fetched) at a version
# satisfying the constraint.
dep_ok() {
  local name=${1%%:*} op=$2 want=$3 have
  [[ -n ${fetched[$name]:-} ]] && return 0
  have=$(dpkg-query -W -f='${db:Status-Status} ${Version}\n' "$name" 2>/dev/null |
    awk '$1 == "installed" { print $2; exit }')
  [[ -n $have ]] || return 1
  [[ -z $op ]] && return 0
  case $op in
    '>=') op=ge ;; '<=') op=le ;; '>>') op=gt ;; '<<') op=lt ;; '=') op=eq ;;
    *) return 1 ;;
  esac
  dpkg --compare-versions "$have" "$op" "$want"
}

# pick_version NAME OP VERSION: the newest version in the private lists that
# satisfies the constraint (apt-cache madison lists newest first).
pick_version() {
  local name=$1 op=$2 want=$3 v cmp
  case $op in
    '>=') cmp=ge ;; '<=') cmp=le ;; '>>') cmp=gt ;; '<<') cmp=lt ;; '=') cmp=eq ;; *) cmp= ;;
  esac
  while read -r v; do
    if [[ -z $cmp ]] || dpkg --compare-versions "$v" "$cmp" "$want"; then
      printf '%s' "$v"
      return 0
    fi
  done < <(apt-cache "${apt_opts[@]}" madison "$name" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
  return 1
}

# Fetch the unsatisfied dependencies of the given .debs into new_debs.
# (Runs in the main shell: it records what it fetched in `fetched`.)
new_debs=()
fetch_missing_deps() {
  local deb group alt name op want ver chosen f
  new_debs=()
  for deb in "$@"; do
    while IFS= read -r group; do
      chosen=
      IFS='|' read -ra alts <<<"$group"
      for alt in "${alts[@]}"; do
        read -r name op want <<<"$(sed -E 's/^[[:space:]]*([^ (]+)[[:space:]]*(\(([<>=]+)[[:space:]]*([^)]+)\))?.*/\1 \3 \4/' <<<"$alt")"
        if dep_ok "$name" "$op" "$want"; then chosen=ok; break; fi
      done
      [[ $chosen == ok ]] && continue
      for alt in "${alts[@]}"; do
        read -r name op want <<<"$(sed -E 's/^[[:space:]]*([^ (]+)[[:space:]]*(\(([<>=]+)[[:space:]]*([^)]+)\))?.*/\1 \3 \4/' <<<"$alt")"
        name=${name%%:*}
        if ver=$(pick_version "$name" "$op" "$want"); then
          log "  fetching $name $ver (needed: $name${op:+ $op $want})"
          (cd "$debs" && apt_run apt-get download "$name=$ver" </dev/null)
          fetched[$name]=1
          f=$(find "$debs" -maxdepth 1 -name "${name}_*.deb" | head -n1)
          [[ -n $f ]] || die "download of $name produced no .deb"
          new_debs+=("$f")
          chosen=fetched
          break
        fi
      done
      [[ -n $chosen ]] || log "  warning: cannot satisfy '$group' from the private lists"
    done < <(deb_depends "$deb")
  done
}

problems=$(ldd_problems)
if [[ -n $problems || ${FOVEA_LAVAPIPE_FETCH_DEPS:-0} == 1 ]]; then
  [[ -n $problems ]] && { log "the driver needs libraries this system lacks:"; printf '%s\n' "$problems" >&2; }
  pending=("$mesa_deb")
  for round in 1 2 3 4 5 6; do
    fetch_missing_deps "${pending[@]}"
    ((${#new_debs[@]})) || break
    for f in "${new_debs[@]}"; do dpkg-deb -x "$f" "$cache"; done
    pending=("${new_debs[@]}")
  done
  # Only shared libraries are wanted; drop docs, binaries and the like.
  rm -rf "$cache/usr/bin" "$cache/usr/sbin" "$cache/bin" "$cache/sbin" "$cache/etc" \
    "$cache/usr/share/man" "$cache/usr/share/lintian" "$cache/usr/share/bug"
  problems=$(ldd_problems)
  [[ -z $problems ]] || {
    printf '%s\n' "$problems" >&2
    die "libvulkan_lvp.so still has unresolved libraries/symbols (see above); as root, try:
    apt-get install -y libvulkan1 mesa-vulkan-drivers"
  }
fi
# The apt lists and .debs are only needed while fetching: keep the cache
# small (about 11 MB) for CI caches. A refresh downloads the lists again.
rm -rf "$debs" "$aptdir/cache" "$aptdir/lists"
extra=$(extra_lib_path)

# ---------------------------------------------------------------- outputs
cat >"$icd" <<EOF
{"file_format_version":"1.0.0","ICD":{"library_path":"$lvp","api_version":"$api_version"}}
EOF

{
  printf '# Generated by scripts/setup-webgpu.sh: source this file (sh or bash).\n'
  printf '# Software WebGPU for Node: Dawn (npm "webgpu") on lavapipe, Mesa %s.\n' "$mesa_ver"
  printf "export VK_ICD_FILENAMES='%s'\n" "$icd"
  printf "export VK_DRIVER_FILES='%s'\n" "$icd"
  printf '# Skip the system Mesa'"'"'s device-select layer (it belongs to the older Mesa).\n'
  printf 'export NODEVICE_SELECT=1\n'
  printf '# Mesa keeps compiled shaders on disk (first use of a tfjs op costs 0.04-0.9 s\n'
  printf '# of shader compilation, then ~10 ms): keep them in this cache folder.\n'
  printf "export MESA_SHADER_CACHE_DIR=\"\${MESA_SHADER_CACHE_DIR:-%s/shader-cache}\"\n" "$cache"
  cat <<'EOF'
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "${XDG_RUNTIME_DIR:-}" ]; then
  XDG_RUNTIME_DIR="${TMPDIR:-/tmp}/xdg-runtime-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
fi
EOF
  if [[ -n $extra ]]; then
    printf "# Libraries from Debian that this system lacks (or has too old).\n"
    printf "case \":\${LD_LIBRARY_PATH:-}:\" in *':%s:'*) ;; *) export LD_LIBRARY_PATH='%s'\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH} ;; esac\n" "$extra" "$extra"
  fi
} >"$envsh"

printf '%s\nmesa-vulkan-drivers %s (api %s)%s\n' "$stamp_want" "$mesa_ver" "$api_version" \
  "${extra:+, extra libraries in $extra}" >"$stamp"
log "ready: mesa-vulkan-drivers $mesa_ver (Vulkan $api_version) in $cache"
log "use:   source $envsh"
printf '%s\n' "$envsh"
