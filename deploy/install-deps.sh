#!/usr/bin/env bash
# install-deps.sh -- installs everything junheng's build, tests and demo need on
# a bare Debian 12 (bookworm), in one apt-get step.  Idempotent: when every
# package is already installed it only checks and returns (well under a second).
#
#   deploy/install-deps.sh            install what is missing
#   deploy/install-deps.sh --check    only report what is missing (exit 1 if anything is)
#
# Runs apt-get as root, through sudo when not root.  The PostgreSQL server
# package is needed only for its binaries (deploy/pg.sh runs the project's own
# clusters); on a machine without PostgreSQL yet, the distribution's "main"
# cluster is not created (createcluster.d/junheng.conf), so nothing listens on
# 5432 or starts at boot because of us.  A machine that already has it keeps it:
# pg.sh never uses it and picks ports that are free.
set -euo pipefail

PROG=install-deps.sh
CHECK_ONLY=0
case ${1:-} in
--check) CHECK_ONLY=1 ;;
"") ;;
*) echo "usage: deploy/install-deps.sh [--check]" >&2; exit 2 ;;
esac

# What each is for:
#   build-essential cmake pkg-config          compiler and build
#   libzmq3-dev libprotobuf-c-dev             ZeroMQ, protobuf-c runtime
#   libsodium-dev                             web users' Argon2id password hashes and session tokens
#   protobuf-c-compiler                       protoc-c (wire schema)
#   libpq-dev libjansson-dev libcsv-dev       PostgreSQL client, JSON, CSV
#   uuid-dev                                  submission ids
#   libcriterion-dev                          unit tests
#   postgresql postgresql-client              server binaries for deploy/pg.sh, psql
#   valgrind libc6-dbg                        leak checks (libc6-dbg: valgrind's redirections on Debian)
#   clang + libclang-rt-*-dev                 fuzz targets (libFuzzer runtime)
#   jq                                        integration tests read status JSON
#   libxml2-utils (xmllint)                   the HTML report test parses the report
#   libmicrohttpd-dev                         the daemon's /metrics and /healthz (GNU libmicrohttpd, HTTP server)
#   curl                                      test only: scrapes /metrics and /healthz
#   libxlsxwriter-dev                         the client's self-assessment workbook and XLSX templates
#   libzip-dev libxml2-dev                    reading .xlsx files (the zip archive, then its XML parts)
#   libglpk-dev                               GLPK, the MILP solver of `junheng plan` (the cheapest path)
#   python3-openpyxl                          test only: reads that workbook back cell by cell
#   libsystemd-dev                            junhengd's sd_notify: Type=notify readiness, watchdog, status
#   chromium nodejs npm                       test only: the browser tests (tests/browser, playwright-core drives chromium)
#   fonts-noto-cjk                            Chinese fonts, so reports, pages and screenshots show Chinese (not boxes)
#                                             on a stock Debian machine (the report's and pages' font stacks name Noto CJK)
#   gettext                                   msgfmt/xgettext: builds po/zh_CN.po into the Chinese message catalogue
#   locales                                   zh_CN.UTF-8 and en_US.UTF-8 generated (below): LANG picks the language
#   libc-bin (iconv) util-linux (runuser) passwd (useradd) procps coreutils
#                                             used by the scripts; present on any Debian, listed for bare images
PACKAGES=(
    build-essential cmake pkg-config
    libzmq3-dev libprotobuf-c-dev protobuf-c-compiler
    libsodium-dev
    libpq-dev libjansson-dev libcsv-dev uuid-dev
    libcriterion-dev
    postgresql postgresql-client
    valgrind libc6-dbg
    clang
    libc-bin util-linux passwd procps coreutils
    jq libxml2-utils
    libxlsxwriter-dev python3-openpyxl
    libmicrohttpd-dev curl
    libsystemd-dev
    libzip-dev libxml2-dev
    chromium fonts-noto-cjk
    libglpk-dev
    gettext locales
)
# Node.js with npm: Debian's nodejs and npm, unless a Node.js that brings its
# own npm (e.g. NodeSource's, which conflicts with Debian's npm) is there.
if ! command -v npm >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
fi

installed() {
    local s
    s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
    [[ $s == ii* ]]
}

# The libFuzzer runtime of the clang that is (or will be) installed.
fuzzer_runtime() {
    local v=""
    if command -v clang >/dev/null 2>&1; then
        v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
    fi
    if [[ -n $v ]]; then
        echo "libclang-rt-$v-dev"
    else
        echo "libclang-rt-dev" # Debian's metapackage for the default clang (14 on bookworm)
    fi
}

# The message languages (README "Language"): a bare Debian has only C.UTF-8,
# and LANG=zh_CN.UTF-8 needs the zh_CN.UTF-8 locale generated (junhengd's
# per-request Chinese too). Generates what is missing, keeping the others.
LOCALES=(zh_CN.UTF-8 en_US.UTF-8)
missing_locales() {
    local have l
    have=$(locale -a 2>/dev/null | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/')
    for l in "${LOCALES[@]}"; do
        grep -qx "$(echo "$l" | tr 'A-Z' 'a-z' | sed 's/utf-8/utf8/')" <<<"$have" || echo "$l"
    done
}
generate_locales() {
    local todo l
    todo=$(missing_locales)
    [[ -z $todo ]] && return 0
    if [[ $CHECK_ONLY -eq 1 ]]; then
        echo "$PROG: locales not generated: $(echo $todo)"
        return 1
    fi
    command -v locale-gen >/dev/null || { echo "$PROG: no locale-gen (package locales)" >&2; return 1; }
    if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
        echo "$PROG: locales not generated: $(echo $todo) (as root: locale-gen); messages fall back to English" >&2
        return 0
    fi
    echo "$PROG: generating locales: $(echo $todo)"
    for l in $todo; do
        if grep -q "^# *$l UTF-8" /etc/locale.gen 2>/dev/null; then
            "${SUDO[@]}" sed -i "s/^# *$l UTF-8/$l UTF-8/" /etc/locale.gen
        elif ! grep -q "^$l UTF-8" /etc/locale.gen 2>/dev/null; then
            echo "$l UTF-8" | "${SUDO[@]}" tee -a /etc/locale.gen >/dev/null
        fi
    done
    "${SUDO[@]}" locale-gen --keep-existing >/dev/null
}

command -v dpkg-query >/dev/null || { echo "$PROG: not a Debian system (no dpkg-query)" >&2; exit 1; }

PACKAGES+=("$(fuzzer_runtime)")
# one dpkg-query for all (fast path of every test run)
declare -A have=()
while read -r name status; do
    [[ $status == ii* ]] && have[${name%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)
missing=()
for p in "${PACKAGES[@]}"; do
    [[ -n ${have[$p]:-} ]] || missing+=("$p")
done

SUDO=()
if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
fi
if [[ ${#missing[@]} -eq 0 ]]; then
    generate_locales || exit 1
    echo "$PROG: all ${#PACKAGES[@]} packages installed"
    exit 0
fi
if [[ $CHECK_ONLY -eq 1 ]]; then
    echo "$PROG: missing: ${missing[*]}"
    exit 1
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "$PROG: missing packages: ${missing[*]}" >&2
        echo "$PROG: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

echo "$PROG: installing ${missing[*]}"

# No distribution cluster on a machine that has no PostgreSQL server yet.
if ! installed postgresql-common || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [[ ! -e /etc/postgresql-common/createcluster.d/junheng.conf ]] && [[ ! -d /etc/postgresql ]]; then
        "${SUDO[@]}" mkdir -p /etc/postgresql-common/createcluster.d
        printf '%s\n' "# deploy/install-deps.sh: junheng runs its own clusters (deploy/pg.sh)" \
            "create_main_cluster = false" |
            "${SUDO[@]}" tee /etc/postgresql-common/createcluster.d/junheng.conf >/dev/null
    fi
fi

export DEBIAN_FRONTEND=noninteractive
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q
    -o DPkg::Lock::Timeout=300
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

if ! "${APT[@]}" update; then
    echo "$PROG: apt-get update failed; trying the install with the package lists there are" >&2
fi
if ! "${APT[@]}" install --no-install-recommends "${missing[@]}"; then
    echo "$PROG: apt-get install failed for: ${missing[*]}" >&2
    echo "$PROG: check the network/apt sources (Debian 12 main), then run deploy/install-deps.sh again" >&2
    exit 1
fi

still=()
for p in "${missing[@]}"; do
    installed "$p" || still+=("$p")
done
if [[ ${#still[@]} -ne 0 ]]; then
    echo "$PROG: still not installed after apt-get: ${still[*]}" >&2
    exit 1
fi
generate_locales || exit 1
for c in cc cmake pkg-config protoc-c psql clang valgrind iconv runuser msgfmt xgettext; do
    command -v "$c" >/dev/null || { echo "$PROG: '$c' is not on PATH after install" >&2; exit 1; }
done
echo "$PROG: done"
