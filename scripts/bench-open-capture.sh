#!/bin/sh
# bench-open-capture.sh measures `ftpscope open` on a large capture: it
# uploads and downloads a 1000 MB file to the sandbox with curl while
# tcpdump records lo, then reports the time and peak memory of
# `ftpscope open --text` on the capture. Needs root (tcpdump), curl and
# GNU time. Run from the repository root: sudo sh scripts/bench-open-capture.sh
set -eu
work=$(mktemp -d)
trap 'kill $(cat "$work"/pids 2>/dev/null) 2>/dev/null; rm -rf "$work"' EXIT
go build -o "$work/ftpscope" ./cmd/ftpscope
go build -o "$work/sandboxd" ./scripts/sandboxd
head -c 1000M /dev/zero >"$work/big.bin"
"$work/sandboxd" -addr-file "$work/addr" >/dev/null &
echo $! >>"$work/pids"
while [ ! -s "$work/addr" ]; do sleep 0.1; done
sb=$(cat "$work/addr")
tcpdump -U -s 0 -B 65536 -w "$work/big.pcap" -i lo "tcp and host 127.0.0.1" 2>/dev/null &
td=$!
sleep 1
curl -sS -u demo:demo -T "$work/big.bin" "ftp://$sb/big.bin"
curl -sS -u demo:demo "ftp://$sb/big.bin" -o /dev/null
sleep 1
kill $td
wait $td 2>/dev/null || true
ls -l "$work/big.pcap"
/usr/bin/time -v "$work/ftpscope" open --text "$work/big.pcap" 2>"$work/time" | grep 'data connection closed'
grep -E 'Elapsed|Maximum resident' "$work/time"
