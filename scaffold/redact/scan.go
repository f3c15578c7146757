package redact

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// Leak is a redacted term found in a published file.
type Leak struct {
	// Rule is the term or pattern as redact.yaml gives it.
	Rule string
	// File is the file's path, as the caller named it; Line the line of
	// the match when it was found in the file's own bytes, else 0.
	File string
	Line int
	// In says where it was found: "name" (the file's name), "text", or
	// how the text was written ("HTML entities", "URL-encoded", "split by
	// markup", "PDF metadata").
	In string
}

func (l Leak) Error() string {
	where := l.File
	if l.Line > 0 {
		where = fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	in := ""
	if l.In != "" && l.In != "text" {
		in = " (" + l.In + ")"
	}
	return fmt.Sprintf("%s: %q survived redaction%s", where, l.Rule, in)
}

// Scan is the leak check of one published file: name is its path in the
// output, data its bytes. It looks for every rule in the name and in the
// content as written, and again with HTML entities and URL escapes
// decoded and markup removed (so that "Acme</em> Corp", "Acme&#32;Corp"
// and "Acme%20Corp" are found), and in a PDF's metadata strings. It
// returns the first leak of each rule.
func (r *Redactor) Scan(name string, data []byte) []Leak {
	if r == nil || len(r.rules) == 0 {
		return nil
	}
	type view struct {
		in   string
		text string
		raw  bool
	}
	views := []view{{"name", name + "\n" + percentDecode(name), false}}
	raw := string(data)
	views = append(views, view{"text", raw, true})
	if bytes.HasPrefix(data, []byte("%PDF")) {
		views = append(views, view{"PDF metadata", pdfStrings(data), false})
	} else if textual(data) {
		unescaped := html.UnescapeString(raw)
		if unescaped != raw {
			views = append(views, view{"HTML entities", unescaped, false})
		}
		if dec := percentDecode(unescaped); dec != unescaped {
			views = append(views, view{"URL-encoded", dec, false})
		}
		if stripped := stripTags(unescaped); stripped != unescaped {
			views = append(views, view{"split by markup", stripped, false})
		}
	}
	var out []Leak
	for _, c := range r.rules {
		for _, v := range views {
			locs := c.matchesIn(normalSpace(v.text))
			if len(locs) == 0 {
				continue
			}
			l := Leak{Rule: c.Name(), File: name, In: v.in}
			if v.raw {
				l.Line = strings.Count(raw[:locs[0][0]], "\n") + 1
			}
			out = append(out, l)
			break
		}
	}
	return out
}

// normalSpace turns no-break spaces into spaces, as a reader sees them.
func normalSpace(s string) string {
	if !strings.ContainsRune(s, '\u00a0') {
		return s
	}
	return strings.ReplaceAll(s, "\u00a0", " ")
}

// textual reports whether data looks like text rather than an image.
func textual(data []byte) bool {
	head := data
	if len(head) > 512 {
		head = head[:512]
	}
	return !bytes.ContainsRune(head, 0)
}

// percentDecode decodes %XX escapes and '+' (a space in a query), leaving
// anything malformed as it is.
func percentDecode(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			b.WriteByte(' ')
		case s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// stripTags removes markup, so that text split by tags reads as a person
// reads it.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '<':
			in = true
		case s[i] == '>' && in:
			in = false
		case !in:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// pdfStrings gathers a PDF's string objects, literal and hexadecimal
// (UTF-16 or bytes), where its title, author, subject and link targets
// are; page text is in compressed, font-encoded streams, which the site's
// leak check has already seen as HTML.
func pdfStrings(data []byte) string {
	var b strings.Builder
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '(':
			depth, j := 1, i+1
			for ; j < len(data) && depth > 0; j++ {
				switch data[j] {
				case '\\':
					j++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if j-i < 4096 {
				b.Write(unescapePDF(data[i+1 : max(j-1, i+1)]))
				b.WriteByte('\n')
			}
			i = j - 1
		case '<':
			j := i + 1
			for j < len(data) && isHex(data[j]) || j < len(data) && (data[j] == ' ' || data[j] == '\n' || data[j] == '\r') {
				j++
			}
			if j < len(data) && data[j] == '>' && j > i+1 {
				b.WriteString(hexString(data[i+1 : j]))
				b.WriteByte('\n')
			}
			i = j
		}
	}
	return b.String()
}

func unescapePDF(s []byte) []byte {
	if !bytes.ContainsRune(s, '\\') {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch c := s[i]; {
			case c >= '0' && c <= '7':
				// An octal escape, up to three digits.
				v := 0
				for n := 0; n < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; n++ {
					v = v*8 + int(s[i]-'0')
					i++
				}
				i--
				out = append(out, byte(v))
			case c == 'n', c == 'r', c == 't':
				out = append(out, ' ')
			default:
				out = append(out, s[i])
			}
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func hexString(h []byte) string {
	var digits []byte
	for _, c := range h {
		if isHex(c) {
			digits = append(digits, c)
		}
	}
	if len(digits)%2 == 1 {
		digits = append(digits, '0')
	}
	raw := make([]byte, len(digits)/2)
	for i := range raw {
		raw[i] = unhex(digits[2*i])<<4 | unhex(digits[2*i+1])
	}
	if len(raw) >= 2 && raw[0] == 0xfe && raw[1] == 0xff {
		u := make([]uint16, 0, len(raw)/2)
		for i := 2; i+1 < len(raw); i += 2 {
			u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
		}
		return string(utf16.Decode(u))
	}
	return string(raw)
}
