package ui

// TEMPORARY placeholder so the package compiles while ui/case.go is
// written. Delete this file when it exists.

import "fyne.io/fyne/v2"

type CaseScreen struct{ content fyne.CanvasObject }

func NewCaseScreen(a *App, referralID int64) *CaseScreen { return &CaseScreen{} }
func (s *CaseScreen) Content() fyne.CanvasObject       { return s.content }
