#!/bin/sh
# record-fixtures.sh makes the recordings under recording/testdata/real
# with the real tools: curl, lftp, vsftpd and tcpdump, against ftpscope's
# sandbox and a vsftpd started here, all on 127.0.0.1. It needs root (for
# tcpdump and vsftpd) and the Debian packages curl, lftp, tcpdump, vsftpd,
# openssl, and wireshark-common for dumpcap (tcpdump writes only pcap;
# dumpcap writes pcapng). Run it from the repository root:
#
#	sudo sh scripts/record-fixtures.sh
#
# The files it writes are committed; recording/testdata/README.md says
# what each one holds.
set -eu
out=recording/testdata/real
work=$(mktemp -d)
chmod 755 "$work" # vsftpd's chroot user must reach its root below it
trap 'kill $(cat "$work"/pids 2>/dev/null) 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$out"

# ftpscope's sandbox (demo/demo, plain text).
go build -o "$work/sandboxd" ./scripts/sandboxd
"$work/sandboxd" -addr-file "$work/addr" >/dev/null &
echo $! >>"$work/pids"
while [ ! -s "$work/addr" ]; do sleep 0.1; done
sb=$(cat "$work/addr")
sbport=${sb##*:}

# vsftpd with the protocol log and explicit TLS, user ftpscopefix.
id ftpscopefix >/dev/null 2>&1 || useradd -m -s /bin/bash ftpscopefix
echo 'ftpscopefix:fixture-pw' | chpasswd
mkdir -p "$work/root" "$work/empty"
echo 'hello from vsftpd' >"$work/root/hello.txt"
chown -R ftpscopefix "$work/root"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
vport=2390
cat >"$work/vsftpd.conf" <<CONF
background=NO
listen=YES
listen_address=127.0.0.1
listen_port=$vport
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_root=$work/root
chroot_local_user=YES
allow_writeable_chroot=YES
secure_chroot_dir=$work/empty
pam_service_name=vsftpd
seccomp_sandbox=NO
pasv_min_port=2391
pasv_max_port=2399
xferlog_enable=YES
xferlog_std_format=NO
log_ftp_protocol=YES
syslog_enable=NO
vsftpd_log_file=$work/vsftpd.log
ssl_enable=YES
rsa_cert_file=$work/cert.pem
rsa_private_key_file=$work/key.pem
allow_anon_ssl=YES
force_local_logins_ssl=NO
force_local_data_ssl=NO
require_ssl_reuse=NO
CONF
vsftpd "$work/vsftpd.conf" &
echo $! >>"$work/pids"
sleep 1

capture() { # capture FILE ARGS... : tcpdump (pcap) in the background
	f=$1; shift
	tcpdump -U -s 0 -w "$f" "$@" 2>/dev/null &
	echo $! >"$work/tcpdump.pid"
	sleep 1
}
capturenG() { # capturenG FILE IFACE FILTER : dumpcap (pcapng) in the background
	dumpcap -q -i "$2" -f "$3" -w "$1" 2>/dev/null &
	echo $! >"$work/tcpdump.pid"
	sleep 2
}
stopcapture() {
	sleep 1
	kill "$(cat "$work/tcpdump.pid")"
	wait "$(cat "$work/tcpdump.pid")" 2>/dev/null || true
}

# curl -v: a listing and a download from the sandbox, passive mode.
capture "$out/sandbox-plain.pcap" -i lo "tcp and host 127.0.0.1"
curl -sS -v -u demo:demo "ftp://$sb/pub/" -o /dev/null 2>"$out/curl-v.log" || true
curl -sS -u demo:demo "ftp://$sb/pub/hello.txt" -o /dev/null 2>/dev/null || true
stopcapture
# curl --trace-ascii: active mode (EPRT) download from the sandbox.
curl -sS --trace-ascii "$out/curl-trace-ascii.log" -P 127.0.0.1 -u demo:demo "ftp://$sb/pub/hello.txt" -o /dev/null || true
# A wrong password (530).
curl -sS -v -u demo:wrong "ftp://$sb/" -o /dev/null 2>"$out/curl-v-530.log" || true

# lftp -d: login, ls, get, with a capture on -i any (Linux SLL2).
capture "$out/sandbox-any-sll2.pcap" -i any --linktype=LINUX_SLL2 "tcp and host 127.0.0.1"
lftp -d -u demo,demo -e "set ftp:passive-mode on; ls pub; get pub/hello.txt -o $work/hello.txt; quit" "ftp://$sb" >"$out/lftp-d.log" 2>&1 || true
stopcapture

# vsftpd: explicit TLS with curl (--ssl-reqd), captured as pcapng on lo
# by dumpcap; then a plain session with lftp, captured as pcapng on any
# (Linux cooked capture); then a wrong password. The protocol log holds
# all three.
capturenG "$out/vsftpd-tls.pcapng" lo "tcp port $vport or portrange 2391-2399"
curl -sS -v --ssl-reqd -k -u ftpscopefix:fixture-pw "ftp://127.0.0.1:$vport/hello.txt" -o /dev/null 2>"$out/curl-v-tls.log" || true
stopcapture
capturenG "$out/vsftpd-plain-any.pcapng" any "tcp port $vport or portrange 2391-2399"
lftp -d -u ftpscopefix,fixture-pw -e "set ftp:ssl-allow no; ls; get hello.txt -o $work/h2.txt; quit" "ftp://127.0.0.1:$vport" >"$out/lftp-d-vsftpd.log" 2>&1 || true
stopcapture
curl -sS -u ftpscopefix:wrong "ftp://127.0.0.1:$vport/" -o /dev/null 2>/dev/null || true
sleep 1
cp "$work/vsftpd.log" "$out/vsftpd.log"

# vsftpd behind a "NAT": pasv_address announces 10.1.2.3, an address the
# client cannot reach. curl ignores the address (--ftp-skip-pasv-ip, its
# default) and connects to 127.0.0.1, so no packet leaves loopback; the
# capture shows the announced address and where the data really went.
sed -e "s/^listen_port=.*/listen_port=2400/" -e "s/^pasv_min_port=.*/pasv_min_port=2401/" \
	-e "s/^pasv_max_port=.*/pasv_max_port=2409/" -e "s|^vsftpd_log_file=.*|vsftpd_log_file=$work/nat.log|" \
	"$work/vsftpd.conf" >"$work/nat.conf"
echo "pasv_address=10.1.2.3" >>"$work/nat.conf"
vsftpd "$work/nat.conf" &
echo $! >>"$work/pids"
sleep 1
capture "$out/vsftpd-nat.pcap" -i lo "tcp portrange 2400-2409"
curl -sS -v --ftp-skip-pasv-ip --disable-epsv -u ftpscopefix:fixture-pw "ftp://127.0.0.1:2400/" -o /dev/null 2>"$out/curl-v-nat.log" || true
stopcapture
chmod 644 "$out"/*

# ProFTPD with two ExtendedLogs: the LogFormat ftpscope recommends and
# ProFTPD's "default" one. proftpd-core conflicts with vsftpd (both
# provide ftp-server), so it is unpacked, not installed:
#	apt-get download proftpd-core && dpkg -x proftpd-core_*.deb DIR
# and PROFTPD=DIR/usr/sbin/proftpd names the binary.
PROFTPD=${PROFTPD:-$(command -v proftpd || true)}
if [ -n "$PROFTPD" ]; then
	cat >"$work/proftpd.conf" <<CONF
ServerName "ftpscope fixture"
ServerType standalone
DefaultServer on
Port 2410
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile $work/proftpd.pid
ScoreboardFile $work/proftpd.scoreboard
DelayTable none
WtmpLog off
UseReverseDNS off
AuthPAM off
AuthOrder mod_auth_unix.c
PassivePorts 2411 2419
DefaultRoot $work/root
LogFormat ftpscope "%{iso8601} %P %a \"%r\" %s \"%S\""
ExtendedLog $work/proftpd-ftpscope.log ALL ftpscope
ExtendedLog $work/proftpd-default.log ALL default
TransferLog none
SystemLog $work/proftpd-system.log
CONF
	"$PROFTPD" -n -q -c "$work/proftpd.conf" &
	echo $! >>"$work/pids"
	sleep 1
	lftp -u ftpscopefix,fixture-pw -e "set ftp:ssl-allow no; ls; get hello.txt -o $work/h3.txt; quit" "ftp://127.0.0.1:2410" >/dev/null 2>&1 || true
	curl -sS -u ftpscopefix:wrong "ftp://127.0.0.1:2410/" -o /dev/null 2>/dev/null || true
	curl -sS --disable-epsv -u ftpscopefix:fixture-pw "ftp://127.0.0.1:2410/nothere.txt" -o /dev/null 2>/dev/null || true
	sleep 1
	cp "$work/proftpd-ftpscope.log" "$out/proftpd-ftpscope.log"
	cp "$work/proftpd-default.log" "$out/proftpd-default.log"
	cat "$work/proftpd-system.log" >&2
fi
chmod 644 "$out"/*

# Pure-FTPd logs only to syslog; with -d it logs every command and reply.
# It conflicts with vsftpd too, so it is unpacked like ProFTPD:
#	apt-get download pure-ftpd && dpkg -x pure-ftpd_*.deb DIR
# and PUREFTPD=DIR/usr/sbin/pure-ftpd. Where no syslog daemon listens on
# /dev/log, scripts/syslog-listen.py stands in for one while it runs.
PUREFTPD=${PUREFTPD:-$(command -v pure-ftpd || true)}
if [ -n "$PUREFTPD" ]; then
	listener=
	if [ ! -S /dev/log ]; then
		python3 scripts/syslog-listen.py /dev/log "$work/syslog" &
		listener=$!
		sleep 1
	fi
	"$PUREFTPD" -S 127.0.0.1,2420 -p 2421:2429 -l unix -E -A -H -d -d &
	echo $! >>"$work/pids"
	sleep 1
	lftp -u ftpscopefix,fixture-pw -e "set ftp:ssl-allow no; ls; get hello.txt -o $work/h4.txt; quit" "ftp://127.0.0.1:2420" >/dev/null 2>&1 || true
	curl -sS -u ftpscopefix:wrong "ftp://127.0.0.1:2420/" -o /dev/null 2>/dev/null || true
	sleep 4
	if [ -n "$listener" ]; then
		kill "$listener"
		wait "$listener" 2>/dev/null || true
		grep 'pure-ftpd' "$work/syslog" >"$out/pure-ftpd.log"
	else
		grep 'pure-ftpd' /var/log/syslog | tail -200 >"$out/pure-ftpd.log"
	fi
	chmod 644 "$out/pure-ftpd.log"
fi
