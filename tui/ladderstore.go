package tui

import "github.com/ftpscope/ftpscope/export"

// ladderStep is a ladder step as the ladder view keeps it: an
// export.Step without the event it was drawn from (which would keep every
// event of the session alive: some 450 bytes of state each), its label
// in an arena, and the data slots open after it.
type ladderStep struct {
	label    arenaRef
	labelLen uint32
	slot     int32
	conn     int32
	// key is the event log index of the event the step was drawn from.
	key      int32
	code     int16
	kind     export.StepKind
	upload   bool
	from, to int8
	alive    uint64
}

// ladderSteps stores a ladder's steps in pages, so that a session of a
// million events costs some 40 bytes a step and growing never copies the
// steps already stored.
type ladderSteps struct {
	steps  pages[ladderStep]
	labels arena
}

// Len returns the number of steps.
func (s *ladderSteps) Len() int { return s.steps.Len() }

// add stores step, drawn from the event with log index key, after which
// the data slots in alive are open.
func (s *ladderSteps) add(step export.Step, key int, alive uint64) {
	s.steps.Append(ladderStep{key: int32(key),
		label: s.labels.AddString(step.Label), labelLen: uint32(len(step.Label)),
		slot: int32(step.Slot), conn: int32(step.Conn), code: int16(step.Code),
		kind: step.Kind, upload: step.Upload, from: int8(step.From), to: int8(step.To), alive: alive,
	})
}

// at returns step i, without its event.
func (s *ladderSteps) at(i int) export.Step {
	st := s.steps.At(i)
	return export.Step{
		Kind: st.kind, From: export.Lane(st.from), To: export.Lane(st.to), Slot: int(st.slot), Conn: int(st.conn),
		Upload: st.upload, Code: int(st.code), Label: string(s.labels.Bytes(st.label, int(st.labelLen))),
	}
}

// alive returns the data slots open after step i.
func (s *ladderSteps) alive(i int) uint64 { return s.steps.At(i).alive }

// find returns the step drawn from the event with log index key, or -1.
// Steps are stored in log order, so it is a binary search.
func (s *ladderSteps) find(key int) int {
	lo, hi := 0, s.steps.Len()
	for lo < hi {
		mid := (lo + hi) / 2
		if int(s.steps.At(mid).key) < key {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < s.steps.Len() && int(s.steps.At(lo).key) == key {
		return lo
	}
	return -1
}
