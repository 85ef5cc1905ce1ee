#!/usr/bin/env bash
# bench-transfer.sh: download speed of ftpscope run against curl and lftp.
#
# Starts a vsftpd on 127.0.0.1 with TLS (the interop tests' set-up, through
# internal/vsftpdtest), with a 1 GiB file, and downloads it with curl, lftp
# and `ftpscope run`, taking turns (curl, lftp, ftpscope, then lftp,
# ftpscope, curl, and so on: each round starts with the next client), in
# four modes:
#
#   plain-discard   clear data connection, the bytes thrown away
#   plain-save      clear, written to a file on local disk
#   protp-discard   AUTH TLS, PROT P (TLS on the data connection), thrown away
#   protp-save      AUTH TLS, PROT P, written to a file
#
# Each download is timed from the program's start to its end (login
# included, which is a few milliseconds of the total). It prints, per
# mode, min/median/max MB/s (MB = 10^6 bytes) for each client and the
# ratio of ftpscope's median to each other client's and to the faster of
# the two. The target is a ratio of at least 1 against the faster. The
# last column pairs the runs instead: in each round, ftpscope's speed ÷
# the faster of curl's and lftp's in the same round, and the median of
# those. A shared machine's speed drifts over minutes (on the 2-vCPU
# machine of docs/PERFORMANCE.md one client's median moved by a quarter
# between sets), which moves the medians of a whole set; the runs of one
# round saw the same machine, so the paired figure swings less. A
# second table gives each client's median CPU time (user and system),
# which swings less than wall-clock time on a shared machine. A third
# gives the CPU time the whole machine was busy during each download
# (client, server and kernel): on a machine whose CPUs the server and the
# client share, that, not the client's own, is what bounds the speed.
#
# Needs root (vsftpdtest creates its test user) and vsftpd, curl and
# lftp; missing ones are installed with apt-get. Everything started and
# created is removed at the end, also on ctrl+c.
#
# Options (environment): RUNS (default 5 per client and mode), SIZE
# (default 1073741824 bytes), MODES (default all four), WORK_DIR (where
# saved files go; default a new folder under TMPDIR), PIN (set to 1 to
# run vsftpd on the last CPU and the clients on the first, with taskset:
# on a machine of two CPUs, where the server's two TLS processes and the
# client otherwise share both, this compares the clients' own speed
# rather than how the scheduler happened to place three busy processes).
set -euo pipefail

RUNS=${RUNS:-5}
SIZE=${SIZE:-1073741824}
MODES=${MODES:-plain-discard plain-save protp-discard protp-save}

cd "$(dirname "$0")/.."
unset http_proxy https_proxy ftp_proxy all_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY ALL_PROXY no_proxy NO_PROXY

log() { printf '==> %s\n' "$*" >&2; }
die() {
	printf 'bench-transfer: %s\n' "$*" >&2
	exit 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftpscope-transfer.XXXXXX")
OUT_DIR=${WORK_DIR:-$WORK/out}
mkdir -p "$OUT_DIR"
SERVER_PID=
cleanup() {
	local status=$?
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -f "$OUT_DIR"/got.*
	rm -rf "$WORK"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v lftp >/dev/null 2>&1 || missing+=(lftp)
[[ -x /usr/sbin/vsftpd ]] || missing+=(vsftpd)
if ((${#missing[@]})); then
	log "installing ${missing[*]}"
	[[ $(id -u) == 0 ]] || die "needs ${missing[*]}; run as root to install them"
	if [[ ! -e /usr/sbin/policy-rc.d ]]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d # no daemon on port 21
		chmod +x /usr/sbin/policy-rc.d
	fi
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

log "building ftpscope and the vsftpd helper"
GOPROXY=off go build -o "$WORK/ftpscope" ./cmd/ftpscope
GOPROXY=off go test -c -o "$WORK/vsftpd.test" ./internal/vsftpdtest

log "starting vsftpd with a $SIZE-byte file"
FTPSCOPE_BENCH_VSFTPD=$WORK/server.env FTPSCOPE_BENCH_SIZE=$SIZE \
	"$WORK/vsftpd.test" -test.run '^TestServeForBenchmarks$' -test.timeout 0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 600); do
	[[ -s $WORK/server.env ]] && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "vsftpd did not start"; }
	sleep 0.1
done
[[ -s $WORK/server.env ]] || die "vsftpd did not start in 60 s"
# shellcheck source=/dev/null
source "$WORK/server.env"
HOST=${ADDR%:*}
TICKS=$(getconf CLK_TCK)
PORT=${ADDR##*:}
[[ $HOST == 127.0.0.1 ]] || die "the server is on $HOST, not 127.0.0.1"

# With PIN=1, vsftpd runs on the last CPU (the processes it forks for
# each connection inherit it) and every client on the first.
CLIENT_CPU=()
if [[ ${PIN:-0} == 1 ]]; then
	command -v taskset >/dev/null 2>&1 || die "PIN=1 needs taskset (util-linux)"
	last=$(($(nproc) - 1))
	((last > 0)) || die "PIN=1 needs at least two CPUs"
	for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID"); do
		taskset -a -c -p "$last" "$pid" >/dev/null
	done
	CLIENT_CPU=(taskset -c 0)
	log "pinned: vsftpd on CPU $last, the clients on CPU 0"
fi

# fetch CLIENT MODE DEST: downloads the file once with CLIENT into DEST.
fetch() {
	local client=$1 mode=$2 dest=$3
	local tls=no
	[[ $mode == protp-* ]] && tls=yes
	case $client in
	curl)
		local flags=(-q -s -S --noproxy '*' -o "$dest")
		[[ $tls == yes ]] && flags+=(--ssl-reqd -k)
		"${CLIENT_CPU[@]}" curl "${flags[@]}" "ftp://$FTP_USER:$FTP_PASS@$HOST:$PORT/$BIG"
		;;
	lftp)
		local set="set ftp:ssl-allow no;"
		[[ $tls == yes ]] && set="set ftp:ssl-force yes; set ftp:ssl-protect-data yes; set ssl:verify-certificate no;"
		"${CLIENT_CPU[@]}" lftp -u "$FTP_USER,$FTP_PASS" -p "$PORT" -e "$set set net:max-retries 1; set xfer:clobber on; get $BIG -o $dest; quit" "$HOST" >/dev/null
		;;
	ftpscope)
		local script="TYPE I"$'\n'"EPSV"$'\n'
		local flags=(--login)
		[[ $tls == yes ]] && { flags+=(--tls --insecure); script="PBSZ 0"$'\n'"PROT P"$'\n'$script; }
		if [[ $mode == *save ]]; then
			script+="RETR $BIG > $dest"$'\n'
		else
			script+="RETR $BIG"$'\n'
		fi
		script+="QUIT"$'\n'
		printf '%s' "$script" | "${CLIENT_CPU[@]}" "$WORK/ftpscope" run "${flags[@]}" "ftp://$FTP_USER:$FTP_PASS@$HOST:$PORT" >"$WORK/run.out"
		;;
	esac
}

# busy_ticks prints the machine's busy CPU time so far, in clock ticks
# (user, nice, system, irq and softirq of all CPUs, from /proc/stat).
busy_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# run_one CLIENT MODE: downloads once and prints the seconds it took, the
# CPU seconds (user and system) the client used, and the CPU seconds the
# whole machine was busy meanwhile (client, vsftpd and kernel).
run_one() {
	local client=$1 mode=$2 dest=/dev/null
	[[ $mode == *save ]] && dest=$OUT_DIR/got.$client
	local start end user sys busy0 busy1 TIMEFORMAT='%U %S'
	busy0=$(busy_ticks)
	start=$(date +%s.%N)
	{ time fetch "$client" "$mode" "$dest" 2>"$WORK/stderr.one"; } 2>"$WORK/cpu.one" ||
		{ cat "$WORK/stderr.one" >&2; die "$client failed"; }
	end=$(date +%s.%N)
	busy1=$(busy_ticks)
	read -r user sys <"$WORK/cpu.one"
	if [[ $client == ftpscope ]]; then
		grep -q "^< 226" "$WORK/run.out" || { cat "$WORK/run.out" >&2; die "ftpscope run did not get its 226"; }
	fi
	if [[ $dest != /dev/null ]]; then
		local got
		got=$(stat -c %s "$dest")
		[[ $got == "$SIZE" ]] || die "$client saved $got bytes, not $SIZE"
		rm -f "$dest"
	fi
	echo "$(echo "$end - $start" | bc -l) $(echo "$user + $sys" | bc -l) $(echo "($busy1 - $busy0) / $TICKS" | bc -l)"
}

# stats prints min, median and max of MB/s for the times (seconds, the
# first column) on standard input.
stats() {
	awk -v size="$SIZE" '{ printf "%.3f\n", size / $1 / 1e6 }' | sort -g | awk '{ r[NR] = $1 } END {
		med = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
		printf "%.0f %.0f %.0f\n", r[1], med, r[NR] }'
}

# cpu_median COLUMN prints the median of the CPU seconds in COLUMN (2:
# the client's, 3: the whole machine's) on standard input.
cpu_median() {
	awk -v col="$1" '{ print $col }' | sort -g | awk '{ r[NR] = $1 } END {
		printf "%.2f\n", (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}

# paired_ratio prints the median over rounds of ftpscope's speed ÷ the
# faster of curl's and lftp's in the same round, and the lowest and
# highest of those ratios. Each times file has one line per round, in
# order.
paired_ratio() {
	paste -d ' ' "$WORK/times.curl" "$WORK/times.lftp" "$WORK/times.ftpscope" |
		awk '{ best = ($1 < $4) ? $1 : $4; printf "%.4f\n", best / $7 }' | sort -g |
		awk '{ r[NR] = $1 } END {
			med = (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
			printf "**%.2f** (%.2f–%.2f)", med, r[1], r[NR] }'
}

clients=(curl lftp ftpscope)
log "$RUNS runs per client and mode, taking turns; each round starts with the next client"
printf '| mode | curl MB/s min/median/max | lftp MB/s | ftpscope run MB/s | ftpscope ÷ curl | ftpscope ÷ lftp | ftpscope ÷ faster | paired, ÷ faster |\n'
printf '|---|---|---|---|---|---|---|---|\n'
cpu_rows=() sys_rows=()
for mode in $MODES; do
	for c in "${clients[@]}"; do : >"$WORK/times.$c"; done
	for round in $(seq 0 $((RUNS - 1))); do
		# The order turns each round, so that no client always follows
		# the same one (and the memory it has just freed).
		for i in 0 1 2; do
			c=${clients[$(((round + i) % 3))]}
			run_one "$c" "$mode" >>"$WORK/times.$c"
		done
	done
	declare -A med=() row=() cpu=() machine=()
	for c in "${clients[@]}"; do
		read -r lo m hi < <(stats <"$WORK/times.$c")
		med[$c]=$m
		row[$c]="$lo / **$m** / $hi"
		cpu[$c]=$(cpu_median 2 <"$WORK/times.$c")
		machine[$c]=$(cpu_median 3 <"$WORK/times.$c")
	done
	faster=$(( med[curl] > med[lftp] ? med[curl] : med[lftp] ))
	printf '| %s | %s | %s | %s | %.2f | %.2f | %.2f | %s |\n' "$mode" "${row[curl]}" "${row[lftp]}" "${row[ftpscope]}" \
		"$(echo "${med[ftpscope]} / ${med[curl]}" | bc -l)" "$(echo "${med[ftpscope]} / ${med[lftp]}" | bc -l)" \
		"$(echo "${med[ftpscope]} / $faster" | bc -l)" "$(paired_ratio)"
	cpu_rows+=("| $mode | ${cpu[curl]} | ${cpu[lftp]} | ${cpu[ftpscope]} |")
	sys_rows+=("| $mode | ${machine[curl]} | ${machine[lftp]} | ${machine[ftpscope]} |")
done
printf '\nCPU seconds (user + system) of the client, medians:\n\n'
printf '| mode | curl | lftp | ftpscope run |\n|---|---|---|---|\n'
printf '%s\n' "${cpu_rows[@]}"
printf '\nCPU seconds the whole machine was busy during each download (client, vsftpd\n'
printf 'and kernel; %s CPUs), medians:\n\n' "$(nproc)"
printf '| mode | curl | lftp | ftpscope run |\n|---|---|---|---|\n'
printf '%s\n' "${sys_rows[@]}"
