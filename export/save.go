package export

import (
	"fmt"
	"io"
	"iter"

	"github.com/ftpscope/ftpscope/catalog"
	"github.com/ftpscope/ftpscope/internal/atomicfile"
	"github.com/ftpscope/ftpscope/protocol"
)

// SaveFile writes events to path in the format its extension names (see
// Format), atomically: the transcript goes to a temporary file in the same
// folder, which is synced to disk and then moved to path. On error the
// temporary file is removed and path is left as it was. It returns the
// format used, also with an error.
//
// An extension that names no format is refused with *UnknownFormatError
// before anything is written. Unless replace is set, an existing file is
// never replaced: the error then wraps fs.ErrExist, so a caller can ask
// and call again with replace. A new file gets the permissions a newly
// created file gets (0666 less the umask); a file that is replaced keeps
// its permissions. A symbolic link at path is replaced by the file, not
// followed.
func SaveFile(path string, events iter.Seq[protocol.Event], cat *catalog.Catalog, replace bool) (format string, err error) {
	format, ok := Format(path)
	if !ok {
		return "", &UnknownFormatError{Path: path}
	}
	err = atomicfile.Write(path, atomicfile.Options{NoReplace: !replace}, func(w io.Writer) error {
		tw, err := NewWriter(format, w, cat)
		if err != nil {
			return err
		}
		for ev := range events {
			tw.Event(ev)
		}
		return tw.Close()
	})
	if err != nil {
		return format, fmt.Errorf("could not save the transcript to %s: %w", path, err)
	}
	return format, nil
}
