// Package pdf renders Linkwell's printed documents (appointment cards, and
// later social prescriptions and letters) from data types. gofpdf is
// unmaintained, so it stays behind this package: every document sets a font
// before any text, replaces runes the font cannot draw, and checks Err().
package pdf

import (
	"strings"
	"sync"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/sfnt"

	"linkwell/assets"
)

// The one font family every document uses (embedded Noto Sans).
const family = "Noto"

// newDocument starts an A4 portrait document with the embedded fonts set.
func newDocument(title string) *gofpdf.Fpdf {
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetTitle(title, true)
	f.SetCreator("Linkwell", true)
	f.AddUTF8FontFromBytes(family, "", assets.FontRegular)
	f.AddUTF8FontFromBytes(family, "B", assets.FontBold)
	f.SetFont(family, "", 12)
	f.SetAutoPageBreak(true, 15)
	return f
}

var (
	coverageOnce sync.Once
	coverage     *sfnt.Font
)

// drawable replaces every rune the embedded font has no glyph for (emoji,
// scripts it lacks) with a visible "?", so the rest of the line still prints.
func drawable(s string) string {
	coverageOnce.Do(func() {
		coverage, _ = sfnt.Parse(assets.FontRegular)
	})
	if coverage == nil {
		return s
	}
	var buf sfnt.Buffer
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < ' ' || r == '\u200d' || (r >= '\ufe00' && r <= '\ufe0f'):
			// control characters, joiners and variation selectors draw nothing
		default:
			if g, err := coverage.GlyphIndex(&buf, r); err != nil || g == 0 {
				b.WriteRune('?')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
