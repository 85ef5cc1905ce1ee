package export

import (
	"time"

	"github.com/ftpscope/ftpscope/protocol"
)

// KindNarration is the kind of an event that carries a script's "#"
// comment, shown by a played demonstration (ftpscope --play). Sessions
// never report it; a UI puts it in its event log so that saved
// transcripts and the ladder diagram keep the narration in its place.
// Writer.Event hands it to Narrate.
const KindNarration protocol.EventKind = "narration"

// Narration returns the event of a "#" comment, dated at.
func Narration(text string, at time.Time) protocol.Event {
	return protocol.Event{Kind: KindNarration, Line: text, Time: at}
}
