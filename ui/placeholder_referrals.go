package ui

// TEMPORARY placeholder so the package compiles while ui/referrals.go and
// ui/referral_form.go are written. Delete this file when they exist.

import "fyne.io/fyne/v2"

type ReferralsScreen struct{ content fyne.CanvasObject }

func NewReferralsScreen(a *App) *ReferralsScreen      { return &ReferralsScreen{} }
func (s *ReferralsScreen) Content() fyne.CanvasObject { return s.content }

type ReferralForm struct{ content fyne.CanvasObject }

func NewReferralForm(a *App, patientID int64) *ReferralForm { return &ReferralForm{} }
func (s *ReferralForm) Content() fyne.CanvasObject         { return s.content }
func (s *ReferralForm) ChoosePatient(id int64)              {}
