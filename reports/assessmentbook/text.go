package assessmentbook

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// unescape removes the apostrophe that workbooks of format version 1 put
// before text starting with = + - @, a tab or a carriage return. Newer
// workbooks store such text as it is, in a quote-prefixed cell.
func unescape(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// encodeCellText writes text the way spreadsheet XML stores it: characters
// XML 1.0 cannot hold become _xHHHH_, and an underscore that would start
// such an escape is itself escaped as _x005F_. excelize v2.11.0 does neither
// for shared strings, so without this a control character is lost and a
// literal "_x000D_" comes back as a carriage return.
func encodeCellText(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && escapeStart(s, i):
			// Escaped even without its closing underscore: the next
			// character may be one that is written as an escape, whose
			// leading underscore would close this one.
			b.WriteString("_x005F_")
			continue
		case !xmlChar(r):
			b.WriteString("_x")
			b.WriteString(hex4(r))
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// decodeCellText reverses encodeCellText; it is also how Excel's own escapes
// are read.
func decodeCellText(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := escapeAt(s, i); n > 0 {
			r, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			if r == '_' {
				b.WriteByte('_')
			} else {
				b.WriteRune(rune(r))
			}
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// escapeAt is the length of the _xHHHH_ escape starting at s[i] (7), or 0.
func escapeAt(s string, i int) int {
	if escapeStart(s, i) && len(s)-i >= 7 && s[i+6] == '_' {
		return 7
	}
	return 0
}

// escapeStart reports whether s[i:] starts with _xHHHH naming a character.
// Surrogate halves are not characters, so they never start an escape.
func escapeStart(s string, i int) bool {
	if len(s)-i < 6 || s[i] != '_' || s[i+1] != 'x' {
		return false
	}
	r, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
	return err == nil && utf8.ValidRune(rune(r))
}

// xmlChar reports whether XML 1.0 can hold r as it is.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

func hex4(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	return strings.Repeat("0", 4-len(h)) + h
}

// utf16Len counts text as a spreadsheet does, in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
