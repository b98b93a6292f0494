// Package assets embeds Linkwell's icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon: two linked rings, the person and their
// community, on NHS blue. It is drawn by `make icon` (ImageMagick).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
