package protocol

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// seqStep is one report to a sequencer: who reports what.
type seqStep struct {
	source string // "reader", "data" or "other"
	ev     Event
}

func replyEv(seq, code int) seqStep {
	return seqStep{"reader", Event{Kind: EventReply, Seq: seq, Reply: &Reply{Code: code, Lines: []string{fmt.Sprintf("%d x", code)}}}}
}

func dataEv(seq int, phase string) seqStep {
	return seqStep{"data", Event{Kind: EventData, Seq: seq, Data: &DataInfo{Phase: phase}}}
}

func sendEv(seq int) seqStep {
	return seqStep{"other", Event{Kind: EventSend, Seq: seq}}
}

// label names an event in the expected orders: "send1", "150", "close2".
func label(ev Event) string {
	switch ev.Kind {
	case EventReply:
		return fmt.Sprint(ev.Reply.Code)
	case EventData:
		return ev.Data.Phase + fmt.Sprint(ev.Seq)
	default:
		return string(ev.Kind) + fmt.Sprint(ev.Seq)
	}
}

// TestSequencerOrdersByCommand feeds the sequencer the reports of a
// transfer in every order the goroutines can produce them, and checks
// the transcript always reads in protocol order.
func TestSequencerOrdersByCommand(t *testing.T) {
	tests := []struct {
		name      string
		transfers []int
		steps     []seqStep
		want      string
	}{
		{"in order", []int{1},
			[]seqStep{sendEv(1), replyEv(1, 150), dataEv(1, DataOpened), dataEv(1, DataClosed), replyEv(1, 226)},
			"send1 150 open1 close1 226"},
		{"final read before the data's end", []int{1},
			[]seqStep{sendEv(1), replyEv(1, 150), replyEv(1, 226), dataEv(1, DataClosed)},
			"send1 150 close1 226"},
		{"data ended before the 150 was read", []int{1},
			[]seqStep{sendEv(1), dataEv(1, DataOpened), dataEv(1, DataClosed), replyEv(1, 150), replyEv(1, 226)},
			"send1 150 open1 close1 226"},
		{"refused without a 1xx", []int{1},
			[]seqStep{sendEv(1), dataEv(1, DataClosed), replyEv(1, 425)},
			"send1 close1 425"},
		{"refusal read before the data's end", []int{1},
			[]seqStep{sendEv(1), replyEv(1, 425), dataEv(1, DataClosed)},
			"send1 close1 425"},
		{"a reply read later waits behind the held final", []int{1},
			[]seqStep{sendEv(1), replyEv(1, 150), sendEv(2), replyEv(1, 226), replyEv(2, 200), dataEv(1, DataClosed)},
			"send1 150 send2 close1 226 200"},
		{"the saved file after the final reply", []int{1},
			[]seqStep{sendEv(1), replyEv(1, 150), replyEv(1, 226), dataEv(1, DataClosed), dataEv(1, DataSaved)},
			"send1 150 close1 226 saved1"},
		{"progress before the 150 waits for it", []int{1},
			[]seqStep{sendEv(1), dataEv(1, DataProgress), replyEv(1, 150), dataEv(1, DataProgress), dataEv(1, DataClosed), replyEv(1, 226)},
			"send1 150 progress1 progress1 close1 226"},
		{"two transfers in a row", []int{1, 2},
			[]seqStep{sendEv(1), replyEv(1, 150), replyEv(1, 226), sendEv(2), dataEv(2, DataClosed), dataEv(1, DataClosed), replyEv(2, 150), replyEv(2, 226)},
			"send1 150 send2 close1 226 150 close2 226"},
		{"replies to other commands go at once", nil,
			[]seqStep{sendEv(1), replyEv(1, 200), sendEv(2), replyEv(2, 331)},
			"send1 200 send2 331"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := NewQueue()
			q := newSequencer(out)
			for _, seq := range tt.transfers {
				q.transfer(seq)
			}
			for _, step := range tt.steps {
				switch step.source {
				case "reader":
					q.reader(step.ev)
				case "data":
					q.data(step.ev)
				default:
					q.other(step.ev)
				}
			}
			var got []string
			for _, ev := range out.Drain() {
				got = append(got, label(ev))
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("order:\n got %s\nwant %s", strings.Join(got, " "), tt.want)
			}
		})
	}
}

// TestSequencerFlushReleasesEverything checks that at the session's end a
// final reply held for a data connection that never ended goes out, as do
// data events that never got a reply, and that times never go back.
func TestSequencerFlushReleasesEverything(t *testing.T) {
	out := NewQueue()
	q := newSequencer(out)
	q.transfer(1)
	q.transfer(2)
	later := time.Now().Add(time.Hour)
	q.reader(Event{Kind: EventReply, Seq: 1, Reply: &Reply{Code: 226}, Time: later})
	q.data(Event{Kind: EventData, Seq: 2, Data: &DataInfo{Phase: DataOpened}})
	if n := len(out.Drain()); n != 0 {
		t.Fatalf("%d events went out before their turn", n)
	}
	q.flush()
	q.other(Event{Kind: EventClose})
	events := out.Drain()
	var got []string
	for _, ev := range events {
		got = append(got, label(ev))
	}
	if want := []string{"226", "open2", "close0"}; !slices.Equal(got, want) {
		t.Errorf("flushed %v, want %v", got, want)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Time.Before(events[i-1].Time) {
			t.Errorf("event %d is dated before event %d", i, i-1)
		}
	}
}
