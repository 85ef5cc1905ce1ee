package catalog

import "strconv"

// Digit is one digit of a reply code read aloud.
type Digit struct {
	// Value is the digit itself, '0' to '9'.
	Value byte
	// Name is the digit's meaning in a few words, such as "positive completion".
	Name string
	// Detail is a sentence on what the digit tells a client.
	Detail string
}

// classes are the meanings of the first digit, RFC 959 §4.2.1 (1–5) and
// RFC 2228 §5.2 (6).
var classes = map[byte]Digit{
	'1': {'1', "positive preliminary", "the command was accepted and started; wait for another reply before sending the next command"},
	'2': {'2', "positive completion", "the command succeeded; a new command may be sent"},
	'3': {'3', "positive intermediate", "the command was accepted but the server needs more: send the next command of the sequence"},
	'4': {'4', "transient negative completion", "the command failed for a reason that may pass; the same command may work if tried again later"},
	'5': {'5', "permanent negative completion", "the command failed and will fail again as sent; change the command or the situation first"},
	'6': {'6', "protected reply", "the real reply is encrypted or signed inside this one by the security mechanism (RFC 2228)"},
}

// functions are the meanings of the second digit, RFC 959 §4.2.1.
var functions = map[byte]Digit{
	'0': {'0', "syntax", "the reply is about the command's syntax: unknown, malformed, superfluous or unimplemented commands"},
	'1': {'1', "information", "the reply answers a request for information such as status or help"},
	'2': {'2', "connections", "the reply is about the control or data connection"},
	'3': {'3', "authentication and accounting", "the reply is about logging in or accounting"},
	'4': {'4', "unspecified", "RFC 959 leaves this group unassigned"},
	'5': {'5', "file system", "the reply is about the server's file system: a file, a directory or a transfer"},
}

// Digits reads a code aloud: the class (first digit) and the function
// (second digit). ok is false when the code is not an FTP reply of three
// digits with a known class, such as the Winsock error 10060 or "999".
func Digits(code string) (class, function Digit, ok bool) {
	if len(code) != 3 {
		return Digit{}, Digit{}, false
	}
	if _, err := strconv.Atoi(code); err != nil {
		return Digit{}, Digit{}, false
	}
	class, okClass := classes[code[0]]
	function, okFunc := functions[code[1]]
	if code[0] == '6' {
		// RFC 2228 gives 6yz no function grouping: the third digit picks
		// the protection (631 integrity, 632 both, 633 confidentiality).
		function = Digit{code[1], "protection", "RFC 2228 defines no function group for 6yz replies; the third digit names the protection"}
		okFunc = true
	}
	if !okFunc {
		function = Digit{code[1], "not defined", "RFC 959 defines function digits 0 to 5 only"}
	}
	return class, function, okClass
}

// IsWinsock reports whether code is one of the Windows Sockets error numbers
// (10000 and up) that some Windows FTP clients print as if they were replies.
func IsWinsock(code string) bool {
	n, err := strconv.Atoi(code)
	return err == nil && len(code) == 5 && n >= 10000 && n < 11100
}

// LooksLikeCode reports whether s is written like a reply code: a number
// without sign. Such a name is explained as a code even when it is not
// one (299, 10068); anything else is looked up as a command.
func LooksLikeCode(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && s[0] != '-' && s[0] != '+'
}
