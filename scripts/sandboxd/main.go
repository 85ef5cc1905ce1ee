// Command sandboxd runs ftpscope's sandbox FTP server on 127.0.0.1 until it
// is interrupted, so that several clients can be measured against the same
// server (scripts/bench-vs-curl.sh). It prints the server's address on
// standard output, and to the file named by -addr-file when given.
//
//	go run ./scripts/sandboxd -addr-file /tmp/addr
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ftpscope/ftpscope/sandbox"
)

func main() {
	addrFile := flag.String("addr-file", "", "also write the server's host:port to this file")
	port := flag.Int("port", 0, "port to listen on (a free one when 0)")
	flag.Parse()
	if err := run(*addrFile, *port); err != nil {
		fmt.Fprintln(os.Stderr, "sandboxd:", err)
		os.Exit(1)
	}
}

func run(addrFile string, port int) error {
	// Listen for the signals before the server starts, so a signal sent
	// as soon as the address is known is not missed.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	srv, err := sandbox.Start(sandbox.Options{Host: "127.0.0.1", Port: port})
	if err != nil {
		return err
	}
	defer srv.Close()
	if addrFile != "" {
		// Write to a temporary name and rename, so a reader never sees a
		// partial address.
		tmp := addrFile + ".tmp"
		if err := os.WriteFile(tmp, []byte(srv.Addr+"\n"), 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, addrFile); err != nil {
			return err
		}
	}
	fmt.Println(srv.Addr)
	<-stop
	return nil
}
