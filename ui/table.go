package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// column is one column of a plain table: its header and its width.
type column struct {
	title string
	width float32
}

// setColumns gives a table bold header labels and its column widths.
func setColumns(t *widget.Table, cols []column) {
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
}

// cellLabel is a table cell that shortens long text with an ellipsis.
func cellLabel() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// focusMarked puts a table in the table theme (theme.go), so the row the
// keyboard is on shows clearly; screens lay out what it returns.
func focusMarked(t fyne.Widget) fyne.CanvasObject {
	return container.NewThemeOverride(t, tableTheme{})
}
