package tui

// Benchmarks of the screen's cost as the transcript grows. The transcript
// keeps every line for the life of the program, so a long session (a
// script left running, a server that talks a lot) must not make each
// frame slower. These benchmarks draw frames with transcripts of 100,
// 10,000 and 1,000,000 lines and report the time and allocations of:
//
//   - Follow: an event arriving, then a frame while following the newest
//     line (Model.render);
//   - TranscriptFollow: the same with the transcript pane alone
//     (Transcript.View);
//   - Viewport: the anchor, a Bubbles viewport holding the same
//     transcript joined with a side panel by Lip Gloss, a line arriving
//     and a frame (bench_viewport_test.go);
//   - Keystroke: a key typed in the input line, through Update, and the
//     View that follows it;
//   - Middle: one frame while scrolled to the middle of the transcript;
//   - PageUp: a page-up key press, then a frame;
//   - Burst1000: a batch of 1,000 session events applied, then a frame
//     (what Update does with one eventsMsg);
//   - SelectPrev: ctrl+p from the newest reply to the one before, then a
//     frame (the side panel explains a reply it has not drawn yet);
//   - Search: one step of the incremental transcript search, then a frame;
//   - Append: building a transcript from empty, one event at a time.
//
// Run them with
//
//	go test -run '^$' -bench . -benchmem ./tui
//
// They contain no timing assertions: PERFORMANCE.md in docs/ records the
// numbers and the ratio between the largest and the smallest transcript.

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/protocol"
)

// benchSizes are the transcript lengths, in lines, that every benchmark
// is run with.
var benchSizes = []int{100, 10_000, 1_000_000}

// benchWidth and benchHeight are the terminal's size: wide enough for the
// side panel beside the transcript.
const benchWidth, benchHeight = 160, 45

// benchCycle returns one round of a realistic session: short replies, a
// multi-line FEAT reply, a decoded passive address, a clear-text warning
// long enough to wrap, a reply longer than the pane and a name that is
// not ASCII (both take the wrapping path), and a 0xFF byte to escape.
func benchCycle() []protocol.Event {
	ms := time.Millisecond
	return []protocol.Event{
		sent("USER demo"),
		reply("USER demo", 2*ms, "331 User name ok, password required"),
		sent("PASS ****"),
		reply("PASS ****", 3*ms, "230 Password ok, continue"),
		sent("PWD"),
		reply("PWD", 400*time.Microsecond, `257 "/" is the current directory`),
		sent("FEAT"),
		reply("FEAT", ms, "211-Extensions supported:", " EPSV", " MDTM", " PASV", " REST STREAM", " SIZE", " UTF8", " MLST type*;size*;modify*;", "211 End"),
		sent("PASV"),
		withNote(reply("PASV", ms, "227 Entering Passive Mode (127,0,0,1,195,80)"), "data address: 127.0.0.1, port 195×256+80 = 50000"),
		sent("HELP SITE"),
		reply("HELP SITE", ms, "214 "+strings.Repeat("The SITE command takes a subcommand, such as CHMOD or IDLE, and its arguments. ", 3)),
		sent("CWD café"),
		reply("CWD café", ms, "550 café: no such directory"),
		sent("NOOP"),
		reply("NOOP", 300*time.Microsecond, "200 NOOP ok \xff"),
		sent("SYST"),
		reply("SYST", 300*time.Microsecond, "215 UNIX Type: L8"),
	}
}

// numberCommands gives the events of cycles their command numbers, as a
// session does: each send takes the next number, and the reply that
// follows it carries the same one. It returns the last number used.
func numberCommands(events []protocol.Event, last int) int {
	for i := range events {
		if events[i].Kind == protocol.EventSend {
			last++
		}
		events[i].Seq = last
	}
	return last
}

// benchEvents returns n events taken from repeated cycles, their commands
// numbered from after last.
func benchEvents(n, last int) []protocol.Event {
	cycle := benchCycle()
	events := make([]protocol.Event, 0, n)
	for len(events) < n {
		events = append(events, cycle[:min(len(cycle), n-len(events))]...)
	}
	numberCommands(events, last)
	return events
}

// burstFirstSeq numbers the commands of a burst: above any number used to
// build a transcript, so that every iteration writes the same keys.
const burstFirstSeq = 10_000_000

// benchModel is a model whose transcript has a given length, with its
// state saved so that a benchmark can put it back.
type benchModel struct {
	m          Model
	saved      Model
	transcript Transcript
	panel      SidePanel
	log        eventLog
	// heapMiB is the live heap the model took, in MiB.
	heapMiB float64
}

// save records the model's state, to be put back by restore. Restoring is
// O(1): a copy of three structs. Slices (the transcript's lines and
// replies, the model's event log) keep their first elements; elements
// appended after the save are overwritten by later appends. Maps are not
// restored: the benchmarks only overwrite keys they wrote before.
func (bm *benchModel) save() {
	bm.saved, bm.transcript, bm.panel, bm.log = bm.m, *bm.m.transcript, *bm.m.panel, *bm.m.log
}

func (bm *benchModel) restore() {
	bm.m = bm.saved
	*bm.m.transcript, *bm.m.panel, *bm.m.log = bm.transcript, bm.panel, bm.log
}

var (
	benchMu     sync.Mutex
	benchModels = map[int]*benchModel{}
)

// modelWithLines returns the shared model whose transcript holds at least
// lines lines, building it the first time, outside any timer. It is left
// following the newest line, with the side panel's explanation drawn.
func modelWithLines(b *testing.B, lines int) *benchModel {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if bm, ok := benchModels[lines]; ok {
		bm.restore()
		return bm
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := newTestModel(benchWidth, benchHeight)
	m.applyEvent(protocol.Event{Kind: protocol.EventConnect, Line: "connected to 127.0.0.1:2121 from 127.0.0.1:50000"})
	seq := 0
	for m.transcript.Len() < lines {
		// A new cycle each time: a session reads every reply into memory
		// of its own, and the heap measured must count it.
		events := benchCycle()
		seq = numberCommands(events, seq)
		for _, ev := range events {
			m.applyEvent(ev)
			if m.transcript.Len() >= lines {
				break
			}
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	m.render()
	bm := &benchModel{m: m, heapMiB: (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / (1 << 20)}
	bm.save()
	benchModels[lines] = bm
	return bm
}

// runSizes runs bench once per transcript size.
func runSizes(b *testing.B, bench func(b *testing.B, bm *benchModel)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			bm := modelWithLines(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			bench(b, bm)
			b.StopTimer()
			bm.restore()
		})
	}
}

// update sends msg to the model as Bubble Tea would.
func (bm *benchModel) update(msg tea.Msg) {
	next, _ := bm.m.Update(msg)
	bm.m = next.(Model)
}

var (
	keyPageUp = tea.KeyPressMsg{Code: tea.KeyPgUp}
	keyPrev   = tea.KeyPressMsg{Code: 'p', Mod: tea.ModCtrl}
)

// frameSink keeps the compiler from dropping a frame.
var frameSink string

// arrivals feeds a benchmark the events of a session in progress, one at
// a time, numbered above any command of the transcripts built, so that
// each frame measured follows a real change.
type arrivals struct {
	cycle []protocol.Event
	next  int
	seq   int
}

func newArrivals() *arrivals { return &arrivals{cycle: benchCycle(), seq: burstFirstSeq} }

// apply applies the next event to the model.
func (a *arrivals) apply(m *Model) {
	ev := a.cycle[a.next%len(a.cycle)]
	a.next++
	if ev.Kind == protocol.EventSend {
		a.seq++
	}
	ev.Seq = a.seq
	m.applyEvent(ev)
}

// BenchmarkFollow measures a frame while following: each operation is an
// event arriving (a new line or reply) and the frame drawn after it. The
// transcript grows by about a line per operation from its starting size.
// It also reports the model's memory, the live heap after a GC (heapMiB)
// measured when the model was built, and the frame's cost as a fraction
// of the viewport frame of BenchmarkViewport at 100 lines (x-viewport).
func BenchmarkFollow(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		arrive := newArrivals()
		for b.Loop() {
			arrive.apply(&bm.m)
			frameSink = bm.m.render()
		}
		b.ReportMetric(bm.heapMiB, "heapMiB")
		reportViewportRatio(b)
	})
}

// BenchmarkTranscriptFollow is the transcript pane alone, drawn after each
// event arriving.
func BenchmarkTranscriptFollow(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		arrive := newArrivals()
		for b.Loop() {
			arrive.apply(&bm.m)
			frameSink = bm.m.transcript.View()
		}
	})
}

// scrollToMiddle scrolls the view up by half the transcript, outside the
// timer, and saves that state as the one to restore.
func scrollToMiddle(b *testing.B, bm *benchModel) {
	b.StopTimer()
	saved := *bm
	b.Cleanup(func() {
		*bm = saved
		bm.restore()
	})
	bm.m.transcript.Follow()
	bm.m.transcript.ScrollBy(-bm.m.transcript.Len() / 2)
	bm.m.render()
	bm.save()
	b.StartTimer()
}

func BenchmarkMiddle(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		scrollToMiddle(b, bm)
		for b.Loop() {
			frameSink = bm.m.render()
		}
	})
}

func BenchmarkPageUp(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		scrollToMiddle(b, bm)
		for b.Loop() {
			bm.restore()
			bm.update(keyPageUp)
			frameSink = bm.m.render()
		}
	})
}

func BenchmarkBurst1000(b *testing.B) {
	burst := benchEvents(1000, burstFirstSeq)
	runSizes(b, func(b *testing.B, bm *benchModel) {
		for b.Loop() {
			bm.restore()
			for _, ev := range burst {
				bm.m.applyEvent(ev)
			}
			frameSink = bm.m.render()
		}
	})
}

func BenchmarkSelectPrev(b *testing.B) {
	runSizes(b, func(b *testing.B, bm *benchModel) {
		// The first ctrl+p selects the newest reply; each iteration then
		// measures the second, which selects the one before it and makes
		// the side panel explain it.
		b.StopTimer()
		bm.update(keyPrev)
		bm.m.render()
		bm.save()
		b.StartTimer()
		for b.Loop() {
			bm.restore()
			bm.update(keyPrev)
			frameSink = bm.m.render()
		}
		b.StopTimer()
		bm.m.transcript.Follow()
		bm.m.render()
		bm.save()
	})
}

// BenchmarkSearch runs the transcript search as it runs on every key
// typed after '/': from the newest line towards the oldest, then a frame.
// A query found in the newest screenful costs little; a query found
// nowhere reads every line (Transcript.Search is O(lines searched)).
func BenchmarkSearch(b *testing.B) {
	for _, tt := range []struct{ name, query string }{
		{"hit-recent", "CAFÉ"},
		{"miss", "no such text"},
	} {
		b.Run(tt.name, func(b *testing.B) {
			runSizes(b, func(b *testing.B, bm *benchModel) {
				for b.Loop() {
					bm.restore()
					bm.m.find(tt.query, -1, true)
					frameSink = bm.m.render()
				}
			})
		})
	}
}

// BenchmarkAppend builds a transcript of each size from empty, one event
// at a time as a session delivers them, and reports the mean cost per
// transcript line (ns/line) and the slowest single event: in wall-clock
// time (max-µs/event), and in CPU time of the thread applying it
// (max-cpu-µs/event, Linux only), which leaves out the time the thread
// waited for a CPU on a busy machine. Storage grows by pages and chunks,
// so no event copies what is stored before it.
func BenchmarkAppend(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			runtime.LockOSThread() // for threadCPU
			defer runtime.UnlockOSThread()
			var worst, worstCPU time.Duration
			lines := 0
			b.ReportAllocs()
			for b.Loop() {
				m := newTestModel(benchWidth, benchHeight)
				seq := 0
				for m.transcript.Len() < n {
					events := benchCycle()
					seq = numberCommands(events, seq)
					for _, ev := range events {
						start, startCPU := time.Now(), threadCPU()
						m.applyEvent(ev)
						worst = max(worst, time.Since(start))
						worstCPU = max(worstCPU, threadCPU()-startCPU)
					}
				}
				lines += m.transcript.Len()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(lines), "ns/line")
			b.ReportMetric(float64(worst.Nanoseconds())/1e3, "max-µs/event")
			if worstCPU > 0 {
				b.ReportMetric(float64(worstCPU.Nanoseconds())/1e3, "max-cpu-µs/event")
			}
		})
	}
}
