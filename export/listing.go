package export

import (
	"strings"

	"github.com/ftpscope/ftpscope/protocol"
)

// maxListingLines is how many lines of a listing a transcript shows.
const maxListingLines = 40

// listing returns the lines of a directory listing (LIST, NLST, MLSD) that
// a transcript shows after the data connection closes, escaped, and how
// many more lines there were. Other transfers, and data that is not text,
// give nothing: a file's content belongs in a file (RETR name > file).
func listing(info *protocol.DataInfo) (lines []string, more int) {
	return listingUpTo(info, maxListingLines)
}

// listingUpTo is listing with a limit of its own: JSON Lines, read by
// programs, carries every line of the preview.
func listingUpTo(info *protocol.DataInfo, limit int) (lines []string, more int) {
	if info == nil || info.Phase != protocol.DataClosed || info.Err != nil || len(info.Preview) == 0 {
		return nil, 0
	}
	switch info.Verb {
	case "LIST", "NLST", "MLSD":
	default:
		return nil, 0
	}
	// A listing is text even when its names are not UTF-8 (Latin-1 names
	// are common): only a NUL byte makes it binary. Escape shows the
	// bytes that are not UTF-8 as \xNN, and diagnose says why.
	if strings.IndexByte(string(info.Preview), 0) >= 0 {
		return nil, 0
	}
	text := strings.TrimRight(strings.ReplaceAll(string(info.Preview), "\r\n", "\n"), "\n")
	all := strings.Split(text, "\n")
	for _, l := range all[:min(len(all), limit)] {
		lines = append(lines, protocol.Escape(strings.TrimSuffix(l, "\r")))
	}
	return lines, len(all) - len(lines)
}
