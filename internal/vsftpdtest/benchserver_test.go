package vsftpdtest

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
)

// TestServeForBenchmarks is not a test: scripts/bench-transfer.sh runs it
// to get a vsftpd with TLS on loopback, set up as the interop tests set
// theirs up. With FTPSCOPE_BENCH_VSFTPD=FILE set, it starts the server,
// creates a file of FTPSCOPE_BENCH_SIZE bytes (1 GiB by default) named
// big.bin in its root, writes the server's address and account to FILE
// as shell assignments, and serves until it gets SIGTERM or SIGINT; then
// the server stops and its folder is removed. Without the variable it is
// skipped.
func TestServeForBenchmarks(t *testing.T) {
	out := os.Getenv("FTPSCOPE_BENCH_VSFTPD")
	if out == "" {
		t.Skip("run by scripts/bench-transfer.sh")
	}
	size := int64(1 << 30)
	if s := os.Getenv("FTPSCOPE_BENCH_SIZE"); s != "" {
		if _, err := fmt.Sscan(s, &size); err != nil {
			t.Fatalf("FTPSCOPE_BENCH_SIZE=%q: %v", s, err)
		}
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	reuse := false // each client's data connections alike, whatever its session reuse
	srv := Start(t, Options{TLS: true, TLSv13: true, RequireSSLReuse: &reuse})
	big := filepath.Join(srv.Root, "big.bin")
	if err := writeBig(big, size); err != nil {
		t.Fatal(err)
	}
	env := fmt.Sprintf("ADDR=%s\nFTP_USER=%s\nFTP_PASS=%s\nBIG=big.bin\nBIG_SIZE=%d\n", srv.Addr, srv.User, srv.Password, size)
	if err := os.WriteFile(out, []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	<-stop
}

// writeBig writes size bytes of a repeating, not all-zero pattern, readable
// by the server's user, and waits until they are on disk.
func writeBig(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = byte(i*7 + i/251)
	}
	for left := size; left > 0; left -= int64(len(block)) {
		if _, err := f.Write(block[:min(int64(len(block)), left)]); err != nil {
			f.Close()
			return err
		}
	}
	// On disk before the first download: otherwise the kernel writes the
	// file back some 30 seconds later (vm.dirty_expire_centisecs), in
	// the middle of the runs, and its disk writes and flusher threads
	// slow whichever client runs then.
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Chmod(path, 0o644)
}
