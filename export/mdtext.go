package export

// MarkdownText escapes text (from a server, or sentences quoting it) for
// Markdown, as the handout does: control characters escaped, and every
// character that Markdown or HTML would act on made literal. Reports
// written beside the handout, such as ftpscope doctor's, use it so that
// no reply can break them.
func MarkdownText(text string) string { return mdText(text) }
