package catalog

import (
	"strings"
	"testing"
)

func TestExplainInContext(t *testing.T) {
	c := loadForTest(t)
	tests := []struct {
		code, verb string
		listed     bool
		checked    bool
		advice     string // a part of the advice, "" for none
	}{
		{code: "202", verb: "ALLO", checked: true, listed: true, advice: "STOR"},
		{code: "202", verb: "RETR", checked: true, listed: false},
		{code: "331", verb: "USER", checked: true, listed: true, advice: "PASS"},
		{code: "350", verb: "RNFR", checked: true, listed: true, advice: "RNTO"},
		{code: "350", verb: "REST", checked: true, listed: true, advice: "RETR"},
		{code: "530", verb: "PASS", checked: true, listed: true},
		{code: "234", verb: "AUTH", checked: true, listed: true, advice: "PROT"},
		{code: "227", verb: "PASV", checked: true, listed: true, advice: "×256"},
		{code: "220", verb: "(connection)", checked: true, listed: true},
		{code: "500", verb: "CWD", checked: true, listed: true, advice: "Only if the server does not know CWD"},
		{code: "226", verb: "STOR", checked: true, listed: true, advice: "You closed the data connection"},
		{code: "226", verb: "APPE", checked: true, listed: true, advice: "You closed the data connection"},
		{code: "226", verb: "STOU", checked: true, listed: true, advice: "You closed the data connection"},
		{code: "226", verb: "RETR", checked: true, listed: true, advice: "server sent the whole file"},
		{code: "226", verb: "NLST", checked: true, listed: true, advice: "closed the data connection"},
		{code: "299", verb: "NOOP", checked: true, listed: false},
		{code: "331", verb: "", checked: false},
	}
	for _, tt := range tests {
		e := c.Explain(tt.code, tt.verb)
		if e.Listing.Checked != tt.checked || e.Listing.Listed != tt.listed {
			t.Errorf("Explain(%s after %s): checked %v listed %v, want %v %v", tt.code, tt.verb, e.Listing.Checked, e.Listing.Listed, tt.checked, tt.listed)
		}
		if tt.advice != "" && !strings.Contains(e.Advice, tt.advice) {
			t.Errorf("Explain(%s after %s): advice %q lacks %q", tt.code, tt.verb, e.Advice, tt.advice)
		}
		if tt.checked && !tt.listed && len(e.Listing.Expected) == 0 {
			t.Errorf("Explain(%s after %s): not listed, but no expected replies given", tt.code, tt.verb)
		}
	}
}

func TestUnknownCodesAreExplainedFromTheirDigits(t *testing.T) {
	c := loadForTest(t)
	for _, code := range []string{"299", "599", "199", "10068", "999", "abc"} {
		e := c.Explain(code, "")
		if e.Reply.Meaning == "" || e.Reply.Action == "" || e.Reply.Defined == "" {
			t.Errorf("Explain(%s) left a field empty: %+v", code, e.Reply)
		}
		if code != "10068" && (e.Known || e.Reply.Status != "non-standard") {
			t.Errorf("Explain(%s): known %v, status %q; want an unknown non-standard code", code, e.Known, e.Reply.Status)
		}
	}
}

func TestCompare(t *testing.T) {
	c := loadForTest(t)
	tests := []struct {
		a, b string
		want []string
	}{
		{"202", "331", []string{"positive completion", "positive intermediate", "USER"}},
		{"450", "550", []string{"transient", "permanent"}},
		{"425", "426", []string{"only the third digit", "same commands"}},
		{"299", "200", []string{"not a standard reply"}},
		{"331", "331", []string{"same code"}},
	}
	for _, tt := range tests {
		diffs := strings.Join(c.Differences(c.Compare(tt.a, tt.b)), " ")
		for _, w := range tt.want {
			if !strings.Contains(diffs, w) {
				t.Errorf("Differences(%s, %s) lacks %q:\n%s", tt.a, tt.b, w, diffs)
			}
		}
	}
}

// TestReplyDocHeadings checks the headings a reply's page gets from its
// context: the greeting's advice, and a reply no command was waiting for.
func TestReplyDocHeadings(t *testing.T) {
	c := MustLoad()
	texts := func(d Doc) string {
		var b strings.Builder
		for _, blk := range d {
			b.WriteString(blk.Text + "\n")
		}
		return b.String()
	}
	greeting := texts(c.ReplyDoc(c.Explain("220", "(connection)"), Context{Command: "opening the connection"}))
	if !strings.Contains(greeting, "When the connection opens\n") || strings.Contains(greeting, "After (") {
		t.Errorf("the greeting's page lacks the heading \"When the connection opens\":\n%s", greeting)
	}
	stray := texts(c.ReplyDoc(c.Explain("200", ""), Context{Unsolicited: true}))
	if !strings.Contains(stray, "no command was waiting for this reply\n") || strings.Contains(stray, "in reply to") {
		t.Errorf("an unsolicited reply's page does not say no command was waiting:\n%s", stray)
	}
}

// TestCompareDocSaysEachThingOnce checks that a comparison does not
// repeat itself: `compare 450 550` used to give each code's class three
// times (a summary, then two key differences saying the same) and each
// list of commands twice (a key difference and the "Answer to" row).
func TestCompareDocSaysEachThingOnce(t *testing.T) {
	c := loadForTest(t)
	tests := []struct {
		a, b string
		once []string
	}{
		{"450", "550", []string{"4xx transient negative completion", "5xx permanent negative completion", "tried again later", "RETR, RNFR, STAT, STOR and STOU"}},
		{"202", "331", []string{"2xx positive completion", "3xx positive intermediate", "ACCT, ALLO, PASS, SITE and SMNT"}},
		{"425", "426", []string{"4xx transient negative completion", "APPE, LIST, NLST, RETR, STOR and STOU"}},
		{"299", "200", []string{"not a standard reply"}},
	}
	for _, tt := range tests {
		t.Run(tt.a+"-"+tt.b, func(t *testing.T) {
			var all []string
			for _, b := range c.CompareDoc(c.Compare(tt.a, tt.b)) {
				all = append(all, b.Text, b.Left, b.Right)
			}
			text := strings.Join(all, "\n")
			for _, phrase := range tt.once {
				if n := strings.Count(text, phrase); n != 1 {
					t.Errorf("compare %s %s says %q %d times, want once:\n%s", tt.a, tt.b, phrase, n, text)
				}
			}
		})
	}
}

// TestExplainDocsTakesCommandLines checks that a command may be named with
// its argument, as it is typed to a server ("AUTH TLS", "PASS secret"):
// the command is explained, and the argument is neither refused as an
// unknown name nor quoted back (a password would be).
func TestExplainDocsTakesCommandLines(t *testing.T) {
	c := loadForTest(t)
	tests := []struct {
		names []string
		want  []string // the first line of each document
		err   string
	}{
		{[]string{"AUTH", "TLS"}, []string{"AUTH"}, ""},
		{[]string{"AUTH TLS"}, []string{"AUTH"}, ""},
		{[]string{"PASS", "secret"}, []string{"PASS"}, ""},
		{[]string{"RETR", "pub/hello.txt", "550"}, []string{"RETR", "550"}, ""},
		{[]string{"USER", "demo", "PASV"}, []string{"USER", "PASV"}, ""},
		{[]string{"retr file.txt", "226"}, []string{"RETR", "226"}, ""},
		// A command that takes no argument has none to skip.
		{[]string{"PASV", "TLS"}, nil, `"TLS" is neither a reply code nor a command`},
		{[]string{"TLS"}, nil, `"TLS" is neither a reply code nor a command`},
		{[]string{"PASSS secret"}, nil, `"PASSS" is neither a reply code nor a command`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.names, "|"), func(t *testing.T) {
			docs, err := c.ExplainDocs(tt.names, "")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "secret") {
					t.Errorf("error %v, want one saying %q (and never the argument of PASS)", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			var got []string
			for _, d := range docs {
				title := d[0].Code // a reply's title carries its code
				if title == "" {
					title = strings.Fields(d[0].Text)[0]
				}
				got = append(got, title)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("explained %v, want %v", got, tt.want)
			}
		})
	}
}
