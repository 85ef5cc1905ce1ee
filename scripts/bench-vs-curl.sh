#!/usr/bin/env bash
# bench-vs-curl.sh: ftpscope run against curl, side by side, on loopback.
#
# Starts one sandbox FTP server on 127.0.0.1 (scripts/sandboxd), builds
# ftpscope once, and times with hyperfine, against that same server:
#
#   download  the 1 MiB file pub/random-1MiB.bin
#   save      the same file written to a local file
#   list      a directory listing of pub/
#   noop      log in, NOOP, and leave
#   startup   no network: each program's start (ftpscope explain 200
#             loads the catalogue of explanations, as run does)
#
# Every command runs as a fresh process, so the times include process start
# (for ftpscope, loading its catalogue of explanations) and the TCP
# connection. Results are printed as Markdown tables; set BENCH_OUT=DIR to
# keep them (DIR/download.md, save.md, list.md, noop.md, startup.md and
# curl-commands.txt).
#
# Nothing but 127.0.0.1 is contacted by the measurements: the server binds
# 127.0.0.1 only, proxies are disabled, and Go builds with GOPROXY=off. The
# one exception is installing missing tools: when curl or hyperfine is not
# installed, the script runs apt-get update and apt-get install (as root).
#
# Options (environment): RUNS (default 20), WARMUP (default 3).
# Exit status: 0 when every comparison ran; non-zero otherwise.
set -euo pipefail

RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}

cd "$(dirname "$0")/.."

# No proxy may carry loopback traffic elsewhere.
unset http_proxy https_proxy ftp_proxy all_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY no_proxy NO_PROXY

log() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'bench-vs-curl: %s\n' "$*" >&2
	exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftpscope-bench.XXXXXX")
SERVER_PID=
cleanup() {
	local status=$?
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools -------------------------------------------------------------
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
if ((${#missing[@]} > 0)); then
	[[ $(id -u) -eq 0 ]] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run this script as root"
	log "installing ${missing[*]} with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || die "apt-get update failed"
	apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
fi
command -v go >/dev/null 2>&1 || die "go is not on PATH"

# --- build -------------------------------------------------------------
log "building ftpscope and sandboxd"
export GOPROXY=off GOTOOLCHAIN=local
go build -o "$WORK/ftpscope" ./cmd/ftpscope ||
	die "go build ./cmd/ftpscope failed (with GOPROXY=off: run 'go mod download' first if modules are missing)"
go build -o "$WORK/sandboxd" ./scripts/sandboxd || die "go build ./scripts/sandboxd failed"

# --- server ------------------------------------------------------------
"$WORK/sandboxd" -addr-file "$WORK/addr" >/dev/null &
SERVER_PID=$!
for _ in $(seq 100); do
	[[ -s $WORK/addr ]] && break
	kill -0 "$SERVER_PID" 2>/dev/null || die "the sandbox server did not start"
	sleep 0.1
done
[[ -s $WORK/addr ]] || die "the sandbox server did not report its address within 10s"
ADDR=$(<"$WORK/addr")
HOST=${ADDR%:*}
PORT=${ADDR##*:}
[[ $HOST == 127.0.0.1 ]] || die "the server is on $ADDR, not on 127.0.0.1"
[[ $PORT =~ ^[0-9]+$ ]] || die "bad port in $ADDR"
log "sandbox FTP server on $ADDR (pid $SERVER_PID)"

FTPSCOPE=$WORK/ftpscope
URL=ftp://demo:demo@127.0.0.1:$PORT
CURL="curl -q -s --noproxy '*'"

# The commands compared. ftpscope's scripts are what one would type;
# curl's are its ordinary use for the same job.
CURL_DOWNLOAD="$CURL -o /dev/null $URL/pub/random-1MiB.bin"
FTPSCOPE_DOWNLOAD="printf 'USER demo\nPASS demo\nTYPE I\nEPSV\nRETR pub/random-1MiB.bin\nQUIT\n' | $FTPSCOPE run ftp://127.0.0.1:$PORT >/dev/null"
# The same download written to a file: ftpscope writes a temporary file,
# syncs it and renames it over the target once the server confirms (226);
# curl writes the file directly and does not sync it.
CURL_SAVE="$CURL -o $WORK/curl-save.bin $URL/pub/random-1MiB.bin"
FTPSCOPE_SAVE="printf 'USER demo\nPASS demo\nTYPE I\nEPSV\nRETR pub/random-1MiB.bin > $WORK/ftpscope-save.bin\nQUIT\n' | $FTPSCOPE run ftp://127.0.0.1:$PORT >/dev/null"
CURL_LIST="$CURL -o /dev/null $URL/pub/"
FTPSCOPE_LIST="printf 'USER demo\nPASS demo\nEPSV\nLIST pub\nQUIT\n' | $FTPSCOPE run ftp://127.0.0.1:$PORT >/dev/null"
CURL_NOOP="$CURL -o /dev/null -I -Q NOOP $URL/"
FTPSCOPE_NOOP="printf 'USER demo\nPASS demo\nNOOP\nQUIT\n' | $FTPSCOPE run ftp://127.0.0.1:$PORT >/dev/null"

# --- check that each command does its job ------------------------------
log "checking each command once"
size=$(curl -q -s --noproxy '*' -o "$WORK/curl.bin" -w '%{size_download}' "$URL/pub/random-1MiB.bin") || die "curl download failed"
[[ $size == 1048576 ]] || die "curl downloaded $size bytes, not 1048576"
out=$(printf 'USER demo\nPASS demo\nTYPE I\nEPSV\nRETR pub/random-1MiB.bin\nQUIT\n' | "$FTPSCOPE" run "ftp://127.0.0.1:$PORT") || die "ftpscope download failed:"$'\n'"$out"
if ! grep -q '^< 226' <<<"$out" || ! grep -q '1048576 bytes' <<<"$out"; then
	die "ftpscope did not download 1048576 bytes:"$'\n'"$out"
fi
bash -c "$FTPSCOPE_SAVE" || die "ftpscope download to a file failed"
cmp -s "$WORK/curl.bin" "$WORK/ftpscope-save.bin" || die "ftpscope saved a file that differs from curl's"
out=$(curl -q -s --noproxy '*' "$URL/pub/") || die "curl listing failed"
grep -q 'random-1MiB.bin' <<<"$out" || die "curl listing lacks random-1MiB.bin:"$'\n'"$out"
out=$(printf 'USER demo\nPASS demo\nEPSV\nLIST pub\nQUIT\n' | "$FTPSCOPE" run "ftp://127.0.0.1:$PORT") || die "ftpscope listing failed:"$'\n'"$out"
grep -q '^< 226' <<<"$out" || die "ftpscope listing did not end with 226:"$'\n'"$out"
out=$(curl -q -s --noproxy '*' -I -Q NOOP "$URL/" 2>&1) || die "curl NOOP failed: $out"
out=$(printf 'USER demo\nPASS demo\nNOOP\nQUIT\n' | "$FTPSCOPE" run "ftp://127.0.0.1:$PORT") || die "ftpscope NOOP failed:"$'\n'"$out"
if ! grep -q '^< 200' <<<"$out" || ! grep -q '^< 221' <<<"$out"; then
	die "ftpscope NOOP session incomplete:"$'\n'"$out"
fi

# What curl sends on the wire, for the record.
for what in "download:$URL/pub/random-1MiB.bin" "list:$URL/pub/" "noop:-I -Q NOOP $URL/"; do
	name=${what%%:*}
	args=${what#*:}
	# shellcheck disable=SC2086 # args holds several words on purpose
	printf '%s: %s\n' "$name" "$(curl -q -v -s --noproxy '*' -o /dev/null $args 2>&1 | sed -n 's/^> //p' | tr -d '\r' | paste -sd ' ' -)"
done >"$WORK/curl-commands.txt"

# --- measure -----------------------------------------------------------
# compare NAME LABEL COMMAND [LABEL COMMAND ...] times the commands with
# hyperfine and keeps its Markdown table in $WORK/NAME.md.
compare() {
	local name=$1
	shift
	local args=()
	while (($# >= 2)); do
		args+=(-n "$1" "$2")
		shift 2
	done
	log "timing: $name ($WARMUP warm-up runs, $RUNS runs each)"
	hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
		--export-markdown "$WORK/$name.md" "${args[@]}" >&2 ||
		die "hyperfine failed for $name"
}
compare download "curl (download)" "$CURL_DOWNLOAD" "ftpscope run (download)" "$FTPSCOPE_DOWNLOAD"
compare save "curl (save)" "$CURL_SAVE" "ftpscope run (save)" "$FTPSCOPE_SAVE"
compare list "curl (list)" "$CURL_LIST" "ftpscope run (list)" "$FTPSCOPE_LIST"
compare noop "curl (noop)" "$CURL_NOOP" "ftpscope run (noop)" "$FTPSCOPE_NOOP"
# No network at all: what starting each program costs. ftpscope explain
# loads the catalogue of explanations, as run does before connecting.
compare startup "curl --version" "curl -q --version >/dev/null" \
	"ftpscope --help" "$FTPSCOPE --help >/dev/null" \
	"ftpscope explain 200" "$FTPSCOPE explain 200 >/dev/null"

# --- report ------------------------------------------------------------
echo "## ftpscope run vs curl, loopback (127.0.0.1:$PORT), $RUNS runs after $WARMUP warm-up runs"
echo
echo "- $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "- $(go version), $(curl --version | head -1 | cut -d' ' -f1-2), $(hyperfine --version)"
echo
for name in download save list noop startup; do
	echo "### $name"
	echo
	cat "$WORK/$name.md"
	echo
done
echo "### What curl sends"
echo
sed 's/^/    /' "$WORK/curl-commands.txt"
echo
if [[ -n ${BENCH_OUT:-} ]]; then
	mkdir -p "$BENCH_OUT"
	cp "$WORK"/{download,save,list,noop,startup}.md "$WORK/curl-commands.txt" "$BENCH_OUT/"
	log "results kept in $BENCH_OUT"
fi
