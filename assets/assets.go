// Package assets embeds Linkwell's icon and the fonts its PDFs use. It
// holds bytes only, so the pdf package needs no GUI library.
package assets

import _ "embed"

// IconPNG is the application icon: two linked rings, the person and their
// community, on NHS blue.
//
//go:embed icon.png
var IconPNG []byte

// Noto Sans (SIL Open Font License, fonts/LICENSE.txt) draws Latin with
// every Welsh, Irish and Polish accent, Greek and Cyrillic.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
)
