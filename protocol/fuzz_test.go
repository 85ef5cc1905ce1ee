package protocol

// Fuzz targets. Each checks a property, not only that nothing panics: a
// reply re-serialises to the bytes read, an address formats back to what
// was parsed, an escaped string holds no control, a command line sends
// one line. Seed corpora are in testdata/fuzz; .ci/run runs each target
// for a few seconds.

import (
	"bytes"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadReply reads replies until the input ends. Every byte read must
// be in some reply's Raw, in order (no bound is reached by inputs this
// small), and each line of Lines must be its raw line without the ending
// and with a doubled 0xFF undone.
func FuzzReadReply(f *testing.F) {
	for _, seed := range []string{"220 ok\r\n", "211-a\r\n b\r\n211 c\r\n", "\x1b[2J500\r\n", "123-\n\n\n", "257 \"\xff\xff\"\r\n", "221 bye"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		rr := NewReplyReader(strings.NewReader(input))
		var again bytes.Buffer
		for i := 0; ; i++ {
			r, err := rr.ReadReply()
			if r != nil {
				if len(r.Lines) == 0 || len(r.Lines) != len(r.Raw) {
					t.Fatalf("a reply with %d lines and %d raw lines", len(r.Lines), len(r.Raw))
				}
				for k, raw := range r.Raw {
					again.Write(raw)
					text := bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte("\n")), []byte("\r"))
					if !bytes.HasSuffix(raw, []byte("\n")) {
						text = raw
					}
					if want := bytes.ReplaceAll(text, []byte{0xff, 0xff}, []byte{0xff}); r.Lines[k] != string(want) {
						t.Fatalf("line %q read from raw %q, want %q", r.Lines[k], raw, want)
					}
				}
			}
			if err != nil {
				break
			}
		}
		if again.String() != input {
			t.Fatalf("re-serialised %q, read %q", again.String(), input)
		}
	})
}

// FuzzParsePASV checks that a 227 address parsed formats back, as PORT's
// argument, to the same address and port.
func FuzzParsePASV(f *testing.F) {
	for _, seed := range []string{"Entering Passive Mode (127,0,0,1,195,80).", "=10,0,0,7,4,1", "(1,2,3,4,5,6,7)", "(300,1,1,1,1,1)", "0,0,0,0,0,0"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParsePASV(text)
		if err != nil {
			return
		}
		arg, err := FormatPORT(&net.TCPAddr{IP: p.IP, Port: p.Port})
		if err != nil {
			t.Fatalf("FormatPORT of %v:%d: %v", p.IP, p.Port, err)
		}
		back, err := ParsePORT(arg)
		if err != nil || !back.IP.Equal(p.IP) || back.Port != p.Port {
			t.Fatalf("%q parsed as %v:%d, formatted %q, read back as %v (%v)", text, p.IP, p.Port, arg, back, err)
		}
	})
}

// FuzzParseEPSV checks that a 229 port parsed formats back to the same.
func FuzzParseEPSV(f *testing.F) {
	for _, seed := range []string{"Entering Extended Passive Mode (|||50000|)", "(!!!21!)", "(|||0|)", "(||||)"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParseEPSV(text)
		if err != nil {
			return
		}
		if p.Port < 1 || p.Port > 65535 || p.IP != nil {
			t.Fatalf("%q gave %+v", text, p)
		}
		back, err := ParseEPSV("(|||" + itoa(p.Port) + "|)")
		if err != nil || back.Port != p.Port {
			t.Fatalf("%q parsed as port %d, which reads back as %+v (%v)", text, p.Port, back, err)
		}
	})
}

// FuzzParseLPSV checks that a 228 address parsed formats back to the same.
func FuzzParseLPSV(f *testing.F) {
	for _, seed := range []string{"(4,4,127,0,0,1,2,195,80)", "(6,16,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,2,4,1)", "(4,4,1)", "()"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := ParseLPSV(text)
		if err != nil {
			return
		}
		af := 4
		if len(p.IP) == 16 {
			af = 6
		}
		fields := []string{itoa(af), itoa(len(p.IP))}
		for _, b := range p.IP {
			fields = append(fields, itoa(int(b)))
		}
		fields = append(fields, "2", itoa(p.Port/256), itoa(p.Port%256))
		formatted := "(" + strings.Join(fields, ",") + ")"
		back, err := ParseLPSV(formatted)
		if err != nil || !back.IP.Equal(p.IP) || back.Port != p.Port {
			t.Fatalf("%q parsed as %v:%d, formatted %q, read back as %+v (%v)", text, p.IP, p.Port, formatted, back, err)
		}
	})
}

// FuzzParsePORT checks that PORT's argument parsed formats back to one
// that parses to the same address.
func FuzzParsePORT(f *testing.F) {
	for _, seed := range []string{"127,0,0,1,195,80", "10,0,0,7,0,21", "1,2,3", "256,0,0,1,1,1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		addr, err := ParsePORT(arg)
		if err != nil {
			return
		}
		formatted, err := FormatPORT(addr)
		if err != nil {
			t.Fatalf("%q parsed as %v, which PORT cannot carry: %v", arg, addr, err)
		}
		back, err := ParsePORT(formatted)
		if err != nil || !back.IP.Equal(addr.IP) || back.Port != addr.Port {
			t.Fatalf("%q parsed as %v, formatted %q, read back as %v (%v)", arg, addr, formatted, back, err)
		}
	})
}

// FuzzParseEPRT checks that EPRT's argument parsed formats back to one
// that parses to the same address, and to the same text when it was
// written in FormatEPRT's own form.
func FuzzParseEPRT(f *testing.F) {
	for _, seed := range []string{"|1|127.0.0.1|50000|", "|2|::1|50000|", "!1!10.0.0.7!21!", "|2|127.0.0.1|1|", "|3|x|1|"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		addr, err := ParseEPRT(arg)
		if err != nil {
			return
		}
		formatted := FormatEPRT(addr)
		back, err := ParseEPRT(formatted)
		if err != nil || !back.IP.Equal(addr.IP) || back.Port != addr.Port {
			t.Fatalf("%q parsed as %v, formatted %q, read back as %v (%v)", arg, addr, formatted, back, err)
		}
		if FormatEPRT(back) != formatted {
			t.Fatalf("%q formats as %q, then as %q", arg, formatted, FormatEPRT(back))
		}
	})
}

// FuzzParseTarget checks that a server parsed from what a user typed
// reads back the same from its own String, and that no error quotes the
// password.
func FuzzParseTarget(f *testing.F) {
	for _, seed := range []string{"ftp://demo:demo@127.0.0.1:2121", "ftps://host", "[::1]:21", "::1", "host:99999", "ftp://u:p@h/path", "http://x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		target, err := ParseTarget(s)
		if err != nil {
			// A password the masked form hides must not be in the error.
			if u, perr := url.Parse(s); perr == nil && u.User != nil {
				if p, ok := u.User.Password(); ok && len(p) >= 4 && !strings.Contains(MaskPassword(s), p) && strings.Contains(err.Error(), p) {
					t.Fatalf("the error %q shows the password", err)
				}
			}
			return
		}
		back, err := ParseTarget(target.String())
		if err != nil {
			t.Fatalf("%q parsed as %+v, whose String %q does not parse: %v", s, target, target.String(), err)
		}
		if back.Host != target.Host || back.Port != target.Port || back.User != target.User || back.ImplicitTLS != target.ImplicitTLS {
			t.Fatalf("%q parsed as %+v, read back from %q as %+v", s, target, target.String(), back)
		}
	})
}

// FuzzParseLine checks that a typed line that is accepted sends exactly
// one line: no CR, LF or NUL inside, CRLF at the end, the same command
// when read again, and a password never in what is shown.
func FuzzParseLine(f *testing.F) {
	for _, seed := range []string{"USER demo", "PASS hunter2", "RETR a > b", "STOR x < y", "NOOP\rDELE x", "LIST >", "pass\u00a0secret", "CWD caf\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		line, err := ParseLine(text)
		if err != nil {
			return
		}
		cmd := line.Command
		wire := cmd.Wire()
		body := wire[:len(wire)-2]
		if !bytes.HasSuffix(wire, []byte("\r\n")) || bytes.ContainsAny(body, "\r\n\x00") {
			t.Fatalf("%q sends %q, not one line", text, wire)
		}
		again, err := ParseCommand(cmd.String())
		if err != nil || again != cmd {
			t.Fatalf("%q parsed as %+v, which reads back as %+v (%v)", text, cmd, again, err)
		}
		// The masked forms are exactly the verb and stars: comparing them
		// whole (not searching for the password in them) also holds for
		// a password that happens to be part of the verb, such as "A".
		if (cmd.Verb == "PASS" || cmd.Verb == "ACCT") && cmd.Arg != "" && (cmd.Masked() != cmd.Verb+" ****" || string(cmd.MaskedWire()) != cmd.Verb+" ****\r\n") {
			t.Fatalf("%q is shown as %q", text, cmd.Masked())
		}
	})
}

// FuzzEscape checks that escaped text is valid UTF-8 with no terminal
// control left: no C0 or C1 control, no DEL, no bidirectional override.
func FuzzEscape(f *testing.F) {
	for _, seed := range []string{"plain", "\x1b[2J\x1b]0;title\x07", "\u202eevil", "caf\xe9", "\u009b1m", "tab\there\x7f"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q, not UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || isBidiControl(r) {
				t.Fatalf("Escape(%q) = %q keeps the control %U", s, out, r)
			}
		}
		if isPlainASCII(s) && out != s {
			t.Fatalf("Escape changed plain text %q to %q", s, out)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
