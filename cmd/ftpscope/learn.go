package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/doctor"
	"github.com/ftpscope/ftpscope/lesson"
	"github.com/ftpscope/ftpscope/protocol"
	"github.com/ftpscope/ftpscope/sandbox"
	"github.com/ftpscope/ftpscope/tui"
)

// newLearnCommand builds `ftpscope learn [NAME]`.
func newLearnCommand() *cobra.Command {
	var file, check string
	var noHistory bool
	cmd := &cobra.Command{
		Use:   "learn [NAME|NUMBER]",
		Short: "Guided practice: lessons played against the built-in sandbox",
		Long: `Learn lists the built-in lessons, with their length and whether you have
finished them; learn NAME (or its number) opens the terminal UI against a
fresh sandbox with the lesson's pane above the transcript.

Each step says what to try and why, and waits for you to type the command.
It checks what happened (the reply and the session's state), not what you
typed, so variations pass: user demo, EPSV for PASV, an absolute path for a
relative one. A wrong turn is explained, never punished. In a lesson, :hint
shows the next command, :skip and :back move between steps, and every other
key and command works as usual (:save keeps the session).

--file runs a lesson file of your own; --check validates one without running
it (docs/LESSONS.md describes the format). Progress is kept in
$XDG_STATE_HOME/ftpscope/lessons.json.

Exit status: 0 on success, 1 when ftpscope could not run, 2 for a usage
error or a malformed lesson file (each problem printed as file:line:column:
field: what is wrong).`,
		Example: `  ftpscope learn                   # the lessons, and which you finished
  ftpscope learn login             # lesson 1
  ftpscope learn 3
  ftpscope learn --file my-lesson.yaml
  ftpscope learn --check my-lesson.yaml`,
		Args: atMostOneLesson,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			switch {
			case check != "" && (file != "" || name != ""):
				return usageError{errors.New("--check validates a file and runs nothing: give it alone")}
			case file != "" && name != "":
				return usageError{fmt.Errorf("give a lesson name or --file, not both")}
			case check != "":
				return checkLesson(transcriptWriter(cmd), check)
			case file == "" && name == "":
				return listLessons(transcriptWriter(cmd))
			}
			run, err := chooseLesson(name, file)
			if err != nil {
				return err
			}
			defer run.close()
			opts := uiOptions{
				pasvAddress:    "peer",
				connectTimeout: protocol.DefaultConnectTimeout,
				replyTimeout:   protocol.DefaultReplyTimeout,
				noHistory:      noHistory,
				lesson:         run,
			}
			return runUI(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "run the lesson in `FILE`, one of your own (see docs/LESSONS.md)")
	cmd.Flags().StringVar(&check, "check", "", "validate the lesson in `FILE` without running it; exit 2 with each problem if it is malformed")
	cmd.Flags().BoolVar(&noHistory, "no-history", false, "keep no command history on disk")
	return cmd
}

// atMostOneLesson is learn's Args: one lesson name or number, or none.
func atMostOneLesson(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return argCountError{cmd.CommandPath(), len(args), "at most one lesson name or number, such as login or 1"}
	}
	return nil
}

// faultNames are the sandbox's fault names, which lesson steps may use.
func faultNames() []string {
	var names []string
	for _, f := range sandbox.FaultNames() {
		names = append(names, f.Name)
	}
	return names
}

// checkLesson validates a lesson file: a summary line when it is valid,
// a usage error listing every problem when it is not.
func checkLesson(w io.Writer, path string) error {
	l, err := lesson.ReadFile(path, faultNames())
	var errs lesson.Errors
	switch {
	case errors.As(err, &errs):
		return usageError{err}
	case err != nil:
		return usageError{err}
	}
	// The command to run it is on a line of its own, to copy.
	width := plainWidth(w)
	said := fmt.Sprintf("%s: a valid lesson, %q (%s), %d steps; run it with:", path, l.Title, l.Name, len(l.Steps))
	_, err = fmt.Fprintf(w, "%s\n%s\n", doctor.Wrap(said, width), doctor.WrapCommand("  ftpscope learn --file "+path, width))
	return err
}

// listLessons prints the built-in lessons: number, name, title, steps,
// and whether the learner finished it.
func listLessons(w io.Writer) error {
	lessons, err := lesson.Builtin(faultNames())
	if err != nil {
		return fail("%w", err)
	}
	progress, warning := loadProgress()
	width := plainWidth(w)
	var b strings.Builder
	nameWidth, titleWidth := 0, 0
	for _, l := range lessons {
		nameWidth, titleWidth = max(nameWidth, len(l.Name)), max(titleWidth, len([]rune(l.Title)))
	}
	for i, l := range lessons {
		row := fmt.Sprintf("%2d  %-*s  %-*s  %2d steps  ", i+1, nameWidth, l.Name, titleWidth, l.Title, len(l.Steps))
		if progress.Done(l.Name) {
			r := progress.Finished[l.Name]
			row += "finished " + r.At.Local().Format("2006-01-02")
			if r.Skipped > 0 {
				// The count goes under the date when the row would be
				// wider than the terminal.
				skipped := fmt.Sprintf("%d skipped", r.Skipped)
				if ansi.StringWidth(row)+2+len(skipped) > width {
					skipped = "\n" + strings.Repeat(" ", ansi.StringWidth(row)-len("finished 2006-01-02")) + skipped
				} else {
					skipped = " " + skipped
				}
				row += "," + skipped
			}
		}
		b.WriteString(row + "\n")
	}
	next := ""
	for _, l := range lessons {
		if !progress.Done(l.Name) {
			next = l.Name
			break
		}
	}
	switch {
	case next == "":
		b.WriteString("\nAll finished. Play one again with ftpscope learn NAME or NUMBER, or write your own: docs/LESSONS.md.\n")
	case len(progress.Finished) == 0:
		fmt.Fprintf(&b, "\nStart one with ftpscope learn NAME or NUMBER, such as ftpscope learn %s.\n", next)
	default:
		fmt.Fprintf(&b, "\nNext: ftpscope learn %s (any NAME or NUMBER works).\n", next)
	}
	if warning != "" {
		b.WriteString(warning + "\n")
	}
	_, err = io.WriteString(w, doctor.Wrap(strings.ReplaceAll(b.String(), "  \n", "\n"), plainWidth(w)))
	return err
}

// loadProgress loads the record of finished lessons; when it cannot be
// read, an empty one that is not saved, and a sentence saying so.
func loadProgress() (*lesson.Progress, string) {
	path, err := lesson.DefaultProgressPath()
	if err == nil {
		var p *lesson.Progress
		if p, err = lesson.LoadProgress(path); err == nil {
			return p, ""
		}
	}
	empty, _ := lesson.LoadProgress("")
	return empty, "lesson progress is not kept: " + err.Error()
}

// lessonRun is a lesson chosen on the command line, with what it needs at
// run time: the progress record and a folder of practice files.
type lessonRun struct {
	lesson   *lesson.Lesson
	number   int
	progress *lesson.Progress
	warning  string
	files    string
	player   *lesson.Player
	srv      *sandbox.Server
}

// chooseLesson finds a built-in lesson by name or number, or reads a
// teacher's file, and makes the practice files folder.
func chooseLesson(name, file string) (*lessonRun, error) {
	run := &lessonRun{}
	if file != "" {
		l, err := lesson.ReadFile(file, faultNames())
		if err != nil {
			return nil, usageError{err}
		}
		run.lesson = l
	} else {
		lessons, err := lesson.Builtin(faultNames())
		if err != nil {
			return nil, fail("%w", err)
		}
		l, err := lesson.Find(lessons, name)
		if err != nil {
			return nil, usageError{err}
		}
		run.lesson = l
		for i := range lessons {
			if lessons[i] == l {
				run.number = i + 1
			}
		}
	}
	files, err := os.MkdirTemp("", "ftpscope-practice-")
	if err != nil {
		return nil, fail("make the practice files folder: %w", err)
	}
	if err := lesson.WritePracticeFiles(files); err != nil {
		os.RemoveAll(files)
		return nil, fail("%w", err)
	}
	run.files = files
	run.progress, run.warning = loadProgress()
	return run, nil
}

// close removes the practice files.
func (r *lessonRun) close() { os.RemoveAll(r.files) }

// start prepares the lesson against the running sandbox: the intro lines
// of the transcript and, for a lesson that is not about logging in, the
// sandbox account to log in with.
func (r *lessonRun) start(srv *sandbox.Server, cat *catalog.Catalog) (intro []string, login *tui.Login) {
	r.srv = srv
	r.player = lesson.NewPlayer(lesson.Expand(r.lesson, r.files), cat)
	intro = []string{
		fmt.Sprintf("sandbox FTP server on %s, serving a sample tree that is deleted on exit", srv.Addr),
		fmt.Sprintf("lesson %q: type each command yourself; :hint shows one that works, :skip and :back move between steps", r.lesson.Title),
	}
	if r.lesson.UsesFiles() {
		intro = append(intro, "practice files for uploads are in "+r.files+" (deleted on exit)")
	}
	switch r.lesson.Login {
	case "demo":
		login = &tui.Login{User: sandbox.DemoUser, Password: sandbox.DemoPassword}
	case "anonymous":
		login = &tui.Login{User: sandbox.AnonymousUser, Password: "learner@example.org"}
	}
	if login != nil {
		intro = append(intro, "ftpscope logs you in as "+login.User+" first: this lesson is about what comes after")
	}
	if r.warning != "" {
		intro = append(intro, r.warning)
	}
	return intro, login
}

// options are the TUI's lesson options; nil when no lesson is played.
func (r *lessonRun) options() *tui.LessonOptions {
	if r == nil || r.player == nil {
		return nil
	}
	return &tui.LessonOptions{
		Player:   r.player,
		Number:   r.number,
		SetFault: r.srv.SetFault,
		Finished: func(skipped int) error {
			if r.number == 0 {
				return nil // a teacher's file is not one of the built-in lessons
			}
			return r.progress.Finish(r.lesson.Name, time.Now(), skipped)
		},
	}
}
