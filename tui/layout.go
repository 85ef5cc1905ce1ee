package tui

// The screen's layout: how the width is split between the transcript and
// the side panel, whether the panel is hidden, and where that choice is
// remembered between runs.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/ftpscope/ftpscope/internal/atomicfile"
)

// Layout is the split of a wide screen between the transcript and the
// side panel. It is remembered between runs (see LoadLayout).
type Layout struct {
	// Panel is the side panel's share of the width, in percent, from
	// MinPanel to MaxPanel. The panel grows with the screen.
	Panel int `json:"panel"`
	// Hidden hides the side panel: the transcript takes the whole width.
	Hidden bool `json:"hidden"`
}

// The bounds and the step of Layout.Panel, and its default.
const (
	MinPanel     = 20
	MaxPanel     = 75
	DefaultPanel = 40
	panelStep    = 5
)

// minPanelWidth and minTranscriptWidth keep both panes readable however
// the split is set.
const (
	minPanelWidth      = 36
	minTranscriptWidth = 48
)

// DefaultLayout is the layout of a first run.
func DefaultLayout() Layout { return Layout{Panel: DefaultPanel} }

// Valid returns l with Panel brought within its bounds.
func (l Layout) Valid() Layout {
	if l.Panel == 0 {
		l.Panel = DefaultPanel
	}
	l.Panel = min(max(l.Panel, MinPanel), MaxPanel)
	return l
}

// panelWidth returns the side panel's width on a wide screen of the given
// width.
func (l Layout) panelWidth(width int) int {
	w := width * l.Valid().Panel / 100
	return min(max(w, minPanelWidth), width-minTranscriptWidth)
}

// DefaultLayoutPath returns where the layout is remembered, beside the
// history: $XDG_STATE_HOME/ftpscope/layout.json, or
// ~/.local/state/ftpscope/layout.json.
func DefaultLayoutPath() (string, error) {
	history, err := DefaultHistoryPath()
	if err != nil {
		return "", fmt.Errorf("layout: %w", err)
	}
	return filepath.Join(filepath.Dir(history), "layout.json"), nil
}

// layoutMaxBytes bounds the layout file read back: it holds two fields.
const layoutMaxBytes = 4096

// LoadLayout reads the layout remembered at path. A missing file gives the
// default layout and no error; a file that cannot be read or understood
// gives the default layout and an error to show.
func LoadLayout(path string) (Layout, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultLayout(), nil
	}
	if err != nil {
		return DefaultLayout(), fmt.Errorf("layout: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, layoutMaxBytes))
	if err != nil {
		return DefaultLayout(), fmt.Errorf("layout: read %s: %w", path, err)
	}
	var l Layout
	if err := json.Unmarshal(data, &l); err != nil {
		return DefaultLayout(), fmt.Errorf("layout: %s is not a layout ftpscope wrote (%v); the default is used and the file will be replaced", path, err)
	}
	return l.Valid(), nil
}

// SaveLayout writes l to path atomically, creating its folder.
func SaveLayout(path string, l Layout) error {
	data, err := json.Marshal(l.Valid())
	if err != nil {
		return fmt.Errorf("layout: %w", err)
	}
	err = atomicfile.Write(path, atomicfile.Options{Perm: 0o600, DirPerm: 0o700}, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
	if err != nil {
		return fmt.Errorf("layout: save to %s: %w", path, err)
	}
	return nil
}

// layoutSavedMsg reports the end of a save of the layout.
type layoutSavedMsg struct{ err error }

// saveLayout returns the command that remembers the current layout, or
// nil when it is not remembered (no path).
func (m *Model) saveLayout() tea.Cmd {
	path, l := m.opts.LayoutPath, m.split
	if path == "" {
		return nil
	}
	return func() tea.Msg { return layoutSavedMsg{err: SaveLayout(path, l)} }
}

// applyLayoutSaved reports a failed save once.
func (m *Model) applyLayoutSaved(msg layoutSavedMsg) {
	if msg.err != nil && !m.layoutWarned {
		m.layoutWarned = true
		m.transcript.AddWarning(ownLine(msg.err.Error()) + "; the layout is kept for this session only")
	}
}

// resizePanel widens (delta > 0) or narrows the side panel by one step
// and remembers the new split.
func (m *Model) resizePanel(delta int) tea.Cmd {
	if !m.wide {
		m.hint = fmt.Sprintf("the split applies from %d columns; this terminal has %d, so f4 swaps the panes", narrowWidth, m.width)
		return nil
	}
	was := m.split
	m.split.Hidden = false
	m.split.Panel = min(max(m.split.Valid().Panel+delta*panelStep, MinPanel), MaxPanel)
	m.layout()
	m.hint = fmt.Sprintf("side panel %d%% of the width (%d columns) · f7 narrower · f8 wider · f9 hides it", m.split.Panel, m.panel.width)
	if m.split == was {
		return nil
	}
	return m.saveLayout()
}

// togglePanelHidden hides or shows the side panel on a wide screen; on a
// narrow one it swaps the panes, as f4 does.
func (m *Model) togglePanelHidden() tea.Cmd {
	if !m.wide {
		m.showPanel = !m.showPanel
		return nil
	}
	m.split.Hidden = !m.split.Hidden
	m.layout()
	return m.saveLayout()
}

// sideShown reports whether a wide screen shows the side area: the panel,
// unless hidden, or the ladder diagram, which shows even then.
func (m *Model) sideShown() bool { return !m.split.Hidden || m.showLadder }

// layoutBody gives the transcript and the side area their sizes: side by
// side on a wide screen, one at a time on a narrow one. In presentation
// mode an explanation strip takes the bottom of the body whenever the
// panel itself is not on screen.
func (m *Model) layoutBody(bodyHeight int) {
	m.wide = m.width >= narrowWidth
	transcriptWidth, sideWidth := m.width, m.width
	if m.wide && m.sideShown() {
		sideWidth = m.split.panelWidth(m.width)
		transcriptWidth = m.width - sideWidth
	}
	m.stripHeight = 0
	if m.present && !m.explanationShown() {
		m.stripHeight = min(max(bodyHeight/3, 6), bodyHeight/2)
	}
	mainHeight := bodyHeight - m.stripHeight
	// Resizing the transcript resets its scroll anchor within a wrapped
	// line, so it is resized only when its size changes.
	if m.transcript.width != transcriptWidth || m.transcript.height != mainHeight {
		m.transcript.SetSize(transcriptWidth, mainHeight)
	}
	m.panel.SetSize(sideWidth, mainHeight)
	m.data.SetSize(sideWidth, mainHeight)
	m.ladder.SetSize(sideWidth, mainHeight)
	// pgup and pgdn scroll the ladder where it takes the transcript's
	// place (input.go), and its title says so only there.
	m.ladder.SetPageKeys(!m.wide)
	m.strip.SetSize(m.width, max(m.stripHeight-1, 1)) // less the rule above it
}

// explanationShown reports whether the side panel's explanation is on
// screen, so that presentation mode needs no strip for it.
func (m *Model) explanationShown() bool {
	if m.showLadder || m.showData && m.data.Has() {
		return false
	}
	if m.wide {
		return !m.split.Hidden
	}
	return m.showPanel
}

// dataOnScreen reports whether the data view is on screen: in the side
// area of a wide screen, unless the panel is hidden, or in the
// transcript's place on a narrow one.
func (m *Model) dataOnScreen() bool {
	if !m.showData || !m.data.Has() || m.showLadder {
		return false
	}
	if m.wide {
		return !m.split.Hidden
	}
	return m.showPanel
}

// dataKeys returns the data view's keys as they work now: none unless the
// view is on screen, and in presentation mode, whose explanation strip
// then shows under it and scrolls with shift+↑ and shift+↓, none of the
// keys that scroll a line.
func (m *Model) dataKeys() DataKeyMap {
	k := m.keys.Data
	k.SetEnabled(m.dataOnScreen())
	if m.present {
		k.LineUp.SetEnabled(false)
		k.LineDown.SetEnabled(false)
	}
	return k
}

// showExplanation puts the side panel on screen for an explanation asked
// for (:explain, :compare, the catalogue browser, a selected reply): on a
// narrow screen at once, as f4 does, and esc goes back; on a wide one it
// shows a hidden panel.
func (m *Model) showExplanation() {
	m.showData, m.showLadder = false, false
	switch {
	case !m.wide && !m.showPanel:
		m.showPanel, m.autoPanel = true, true
	case m.wide && m.split.Hidden:
		m.split.Hidden = false
	}
}

// toggleData is f2: it puts the last transfer's data on screen, in the
// side panel's place, or takes it off when it is there. A transfer opens
// the data without showing the panel of a narrow screen, so f2 looks at
// what is on screen, not only at showData.
func (m *Model) toggleData() {
	if m.dataOnScreen() || !m.data.Has() {
		m.showData = false
		m.showPanel = true
		return
	}
	m.showData, m.showLadder, m.showPanel, m.autoPanel = true, false, true, false
	m.split.Hidden = false
}

// toggleLadder shows or hides the ladder diagram in the side area; on a
// narrow screen it takes the transcript's place.
func (m *Model) toggleLadder() {
	m.showLadder = !m.showLadder
	if !m.wide {
		m.showPanel = m.showLadder
	}
	m.autoPanel = false
}

// isScreenKey reports whether msg is one of the presenter's keys.
func (m *Model) isScreenKey(msg tea.KeyPressMsg) bool {
	k := m.keys
	if key.Matches(msg, k.PlayBack, k.PlaySkip) {
		return m.play != nil
	}
	return key.Matches(msg, k.Ladder, k.Present, k.PanelNarrower, k.PanelWider, k.HidePanel)
}

// screenKey handles the presenter's keys.
func (m *Model) screenKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Ladder):
		m.toggleLadder()
	case key.Matches(msg, k.Present):
		m.setPresent(!m.present)
	case key.Matches(msg, k.PanelNarrower):
		return m.resizePanel(-1)
	case key.Matches(msg, k.PanelWider):
		return m.resizePanel(1)
	case key.Matches(msg, k.HidePanel):
		return m.togglePanelHidden()
	case key.Matches(msg, k.PlayBack):
		m.playBack()
	case key.Matches(msg, k.PlaySkip):
		m.playNext()
	}
	return nil
}
