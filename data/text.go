package data

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// CleanText tidies one line of text as typed, pasted or imported (a name,
// an address): Unicode NFC, unwanted characters removed (see unwanted),
// tabs and line breaks made spaces, runs of spaces folded to one, the ends
// trimmed. Letters of any script are kept as they are (Siân, Łukasz,
// Олена).
func CleanText(s string) string {
	return strings.Join(strings.Fields(strings.Map(dropUnwanted, norm.NFC.String(s))), " ")
}

// cleanParagraphs is CleanText for free text (a description): line breaks
// are kept (CRLF and CR become LF), and so is the spacing within a line.
func cleanParagraphs(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(norm.NFC.String(s), "\r\n", "\n"), "\r", "\n")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		return dropUnwanted(r)
	}, s))
}

// dropUnwanted removes, for strings.Map, the characters no name or
// directory text needs and that make stored text lie about itself:
// control characters (NUL, ESC, …; white space among them becomes a
// space), the bidirectional overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) that make text show in another order than it is stored,
// and a stray byte-order mark (U+FEFF) from a pasted file.
func dropUnwanted(r rune) rune {
	switch {
	case unicode.IsSpace(r):
		return ' '
	case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0xFEFF:
		return -1
	}
	return r
}

// Encodings an import file's text may be read as (ImportResult.Encoding).
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF16       = "UTF-16"
	EncodingWindows1252 = "Windows-1252"
)

// textReader turns a text file into UTF-8 as it is read. A byte-order mark
// says UTF-8 or UTF-16 (either byte order); without one, the first byte
// that is not ASCII decides: UTF-8 if it starts a valid UTF-8 character,
// otherwise Windows-1252, which is what Excel's plain "CSV" saves on a UK
// PC. Encoding says which, once known ("" while all is ASCII). A file that
// starts as UTF-8 and later is not fails with encoding.ErrInvalidUTF8.
type textReader struct {
	br       *bufio.Reader
	decoded  io.Reader // once the encoding is known
	Encoding string
}

func newTextReader(r io.Reader) *textReader {
	t := &textReader{br: bufio.NewReaderSize(r, 64<<10)}
	bom, _ := t.br.Peek(3)
	switch {
	case len(bom) >= 3 && string(bom[:3]) == "\ufeff":
		t.br.Discard(3)
		t.use(EncodingUTF8, encoding.UTF8Validator)
	case len(bom) >= 2 && (bom[0] == 0xFF && bom[1] == 0xFE || bom[0] == 0xFE && bom[1] == 0xFF):
		// ExpectBOM reads the mark and follows its byte order.
		t.use(EncodingUTF16, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder())
	}
	return t
}

func (t *textReader) use(name string, tr transform.Transformer) {
	t.Encoding = name
	t.decoded = transform.NewReader(t.br, tr)
}

func (t *textReader) Read(p []byte) (int, error) {
	if t.decoded != nil {
		return t.decoded.Read(p)
	}
	ahead, err := t.br.Peek(t.br.Size()) // what is there, without taking it
	i := 0
	for i < len(ahead) && ahead[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 || len(ahead) == 0 { // ASCII reads the same in both
		n := copy(p, ahead[:i])
		t.br.Discard(n)
		if n == 0 {
			return 0, err
		}
		return n, nil
	}
	if r, size := utf8.DecodeRune(ahead); r != utf8.RuneError || size > 1 {
		t.use(EncodingUTF8, encoding.UTF8Validator)
	} else {
		t.use(EncodingWindows1252, charmap.Windows1252.NewDecoder())
	}
	return t.decoded.Read(p)
}
