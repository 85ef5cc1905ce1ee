package lesson

import "fmt"

// shellWords maps the commands a learner brings from a shell or from an
// FTP client's prompt (cd, ls, get) to the FTP commands that do the same,
// for the wrong turn that sends one to the server and gets 500 or 502.
var shellWords = map[string]string{
	"CD":      "CWD",
	"LS":      "LIST (or NLST for names only)",
	"DIR":     "LIST",
	"GET":     "RETR",
	"MGET":    "RETR, once per file",
	"PUT":     "STOR",
	"MPUT":    "STOR, once per file",
	"SEND":    "STOR",
	"RECV":    "RETR",
	"CAT":     "RETR",
	"MV":      "RNFR then RNTO",
	"RENAME":  "RNFR then RNTO",
	"RM":      "DELE",
	"DEL":     "DELE",
	"DELETE":  "DELE",
	"MKDIR":   "MKD",
	"RMDIR":   "RMD",
	"LOGIN":   "USER then PASS",
	"USERS":   "USER",
	"BYE":     "QUIT",
	"EXIT":    "QUIT",
	"CLOSE":   "QUIT",
	"BINARY":  "TYPE I",
	"ASCII":   "TYPE A",
	"PASSIVE": "PASV (or EPSV)",
}

// unknownVerb explains a verb the server did not recognise (500 or 502):
// the shell or client word it probably is, and the FTP command this step
// suggests. It returns "" when typed is empty.
func unknownVerb(typed, suggested string) string {
	if typed == "" {
		return ""
	}
	if ftp, ok := shellWords[typed]; ok {
		s := fmt.Sprintf("%s is a shell or FTP-client command, not one the server knows: in FTP itself it is %s.", typed, ftp)
		if suggested != "" {
			s += fmt.Sprintf(" This step's command is %s.", suggested)
		}
		return s
	}
	if suggested == "" {
		return fmt.Sprintf("The server does not know %s: check its spelling.", typed)
	}
	return fmt.Sprintf("The server does not know %s: check its spelling; this step's command is %s.", typed, suggested)
}
