package catalog

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceDir is testdata/reference: the facts gathered from the RFCs
// that the catalogue must cover (reply-codes.tsv, commands.tsv and
// command-replies.tsv, with sources.md saying where each came from). They
// are part of the module, so these tests run everywhere and never skip.
func referenceDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "reference")
	if _, err := os.Stat(filepath.Join(dir, "reply-codes.tsv")); err != nil {
		t.Fatalf("the reference facts are missing: %v", err)
	}
	return dir
}

// readTSV reads a tab-separated file with a header line into maps keyed by
// column name. The files use no quoting, so a plain split is exact.
func readTSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var header []string
	var rows []map[string]string
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = fields
			continue
		}
		row := map[string]string{}
		for i, name := range header {
			if i < len(fields) {
				row[name] = fields[i]
			}
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func loadForTest(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestEveryReferenceCodeHasACompleteEntry(t *testing.T) {
	dir := referenceDir(t)
	c := loadForTest(t)
	for _, row := range readTSV(t, filepath.Join(dir, "reply-codes.tsv")) {
		code := row["code"]
		r, ok := c.Reply(code)
		if !ok {
			t.Errorf("reply %s is in reply-codes.tsv but not in the catalogue", code)
			continue
		}
		for field, value := range map[string]string{
			"name": r.Name, "status": r.Status, "defined": r.Defined,
			"meaning": r.Meaning, "when": r.When, "action": r.Action,
		} {
			if strings.TrimSpace(value) == "" {
				t.Errorf("reply %s: field %q is empty", code, field)
			}
		}
		if len(r.Related) == 0 {
			t.Errorf("reply %s: no related codes", code)
		}
		if r.Status != row["status"] {
			t.Errorf("reply %s: status %q, reference says %q", code, r.Status, row["status"])
		}
		if want := row["canonical_text"]; want != "" && r.Text != want {
			t.Errorf("reply %s: text %q, reference gives %q", code, r.Text, want)
		}
	}
}

func TestEveryReferenceCommandHasACompleteEntry(t *testing.T) {
	dir := referenceDir(t)
	c := loadForTest(t)
	for _, row := range readTSV(t, filepath.Join(dir, "commands.tsv")) {
		name := row["command"]
		cmd, ok := c.Command(name)
		if !ok {
			t.Errorf("command %s is in commands.tsv but not in the catalogue", name)
			continue
		}
		for field, value := range map[string]string{
			"syntax": cmd.Syntax, "summary": cmd.Summary, "description": cmd.Description,
			"argument": cmd.Argument, "status": cmd.Status, "defined": cmd.Defined,
			"next": cmd.Next, "example": cmd.Example,
		} {
			if strings.TrimSpace(value) == "" {
				t.Errorf("command %s: field %q is empty", name, field)
			}
		}
		if got, want := cmd.Data, row["opens_data_connection"] == "yes"; got != want {
			t.Errorf("command %s: data %v, reference says opens_data_connection=%q", name, got, row["opens_data_connection"])
		}
		if cmd.Status != row["status"] {
			t.Errorf("command %s: status %q, reference says %q", name, cmd.Status, row["status"])
		}
	}
}

// TestCommandRepliesAgreeWithReference checks every command–reply pairing
// against command-replies.tsv: one ReplyList per (command, source) row, with
// the same codes in each column.
func TestCommandRepliesAgreeWithReference(t *testing.T) {
	dir := referenceDir(t)
	c := loadForTest(t)
	want := map[string]int{}
	for _, row := range readTSV(t, filepath.Join(dir, "command-replies.tsv")) {
		name := row["command"]
		want[strings.ToUpper(name)]++
		cmd, ok := c.Command(name)
		if !ok {
			t.Errorf("command %s is in command-replies.tsv but not in the catalogue", name)
			continue
		}
		i := slices.IndexFunc(cmd.Replies, func(l ReplyList) bool { return l.Source == row["source"] })
		if i < 0 {
			t.Errorf("command %s: no reply list with source %q", name, row["source"])
			continue
		}
		got := cmd.Replies[i]
		for column, codes := range map[string][]string{
			"preliminary": got.Preliminary, "intermediate": got.Intermediate,
			"success": got.Success, "failure": got.Failure, "error": got.Error,
		} {
			if !sameSet(codes, strings.Fields(row[column])) {
				t.Errorf("command %s (%s): %s = %v, reference says %v", name, row["source"], column, codes, strings.Fields(row[column]))
			}
		}
	}
	for name, cmd := range c.commands {
		if len(cmd.Replies) != want[name] {
			t.Errorf("command %s: %d reply lists, reference has %d", name, len(cmd.Replies), want[name])
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

var threeDigits = regexp.MustCompile(`^[1-6][0-9][0-9]$`)

// TestCatalogueIsConsistent validates the data file itself, with or without
// the reference folder: code shapes, known statuses, and that every cross
// reference points at an entry that exists.
func TestCatalogueIsConsistent(t *testing.T) {
	c := loadForTest(t)
	statuses := []string{"standard", "experimental", "experimental alias", "non-standard"}
	for _, code := range c.Codes() {
		r, _ := c.Reply(code)
		if !threeDigits.MatchString(code) && !IsWinsock(code) {
			t.Errorf("reply %q: a code is three digits 1xx–6xx or a Winsock number 10000–11099", code)
		}
		if !slices.Contains(statuses, r.Status) {
			t.Errorf("reply %s: unknown status %q", code, r.Status)
		}
		for _, rel := range r.Related {
			if _, ok := c.Reply(rel); !ok {
				t.Errorf("reply %s: related code %s is not in the catalogue", code, rel)
			}
			if rel == code {
				t.Errorf("reply %s lists itself as related", code)
			}
		}
		for name := range r.After {
			if _, ok := c.Command(name); !ok && name != "(connection)" {
				t.Errorf("reply %s: advice after unknown command %q", code, name)
			}
		}
	}
	for _, name := range c.Commands() {
		cmd, _ := c.Command(name)
		if !slices.Contains(statuses, cmd.Status) {
			t.Errorf("command %s: unknown status %q", name, cmd.Status)
		}
		if !slices.Contains([]string{"yes", "no", "optional"}, cmd.Argument) {
			t.Errorf("command %s: argument is %q, want yes, no or optional", name, cmd.Argument)
		}
		for _, rel := range cmd.Related {
			if _, ok := c.Command(rel); !ok {
				t.Errorf("command %s: related command %s is not in the catalogue", name, rel)
			}
		}
		for _, list := range cmd.Replies {
			for _, code := range list.All() {
				if _, ok := c.Reply(code); !ok {
					t.Errorf("command %s: reply %s (%s) is not in the catalogue", name, code, list.Source)
				}
			}
		}
	}
}
