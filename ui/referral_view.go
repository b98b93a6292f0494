package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// ReferralView is a referral as reception sees it: what booking needs (the
// patient's name and contact details, the link worker, the next
// appointment) and nothing of the case record: no notes, goals, wellbeing,
// reasons or status moves (data.OpViewCaseRecord).
type ReferralView struct {
	app     *App
	id      int64
	patient data.Patient // as opened: a live refresh does not read (and audit) it again
	name    *widget.Label
	facts   *widget.RichText
	message *widget.Label
	content fyne.CanvasObject
}

// NewReferralView builds and loads reception's view of one referral.
func NewReferralView(a *App, referralID int64) *ReferralView {
	v := &ReferralView{app: a, id: referralID, name: heading(""), facts: caseRichText(), message: widget.NewLabel("")}
	v.name.Truncation = fyne.TextTruncateEllipsis // a long name must not widen the window
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Hide()
	back := widget.NewButtonWithIcon("Back to referrals", theme.NavigateBackIcon(), func() { a.Show("Referrals") })
	diary := widget.NewButtonWithIcon("Diary", theme.CalendarIcon(), func() { a.Show("Diary") })
	v.content = container.NewVBox(container.NewBorder(nil, nil, back, diary, v.name), v.facts, v.message)
	v.load(referralID)
	return v
}

// Content is the screen's root object.
func (v *ReferralView) Content() fyne.CanvasObject { return v.content }

// Text is everything the view shows, for tests.
func (v *ReferralView) Text() string {
	var b strings.Builder
	b.WriteString(v.name.Text + "\n")
	for _, seg := range v.facts.Segments {
		if t, ok := seg.(*widget.TextSegment); ok {
			b.WriteString(t.Text + "\n")
		}
	}
	b.WriteString(v.message.Text)
	return b.String()
}

func (v *ReferralView) load(id int64) {
	ctx := context.Background()
	store, sess := v.app.store, v.app.session
	r, err := store.Referral(ctx, sess, id)
	var p data.Patient
	if err == nil {
		p, err = store.Patient(ctx, sess, r.PatientID)
	}
	if err != nil {
		v.name.SetText("Referral")
		v.message.SetText("The referral could not be read: " + err.Error())
		v.message.Show()
		v.app.showError(err)
		return
	}
	v.patient = p
	v.name.SetText(p.FullName())
	v.show(r)
}

// Refresh shows what another desk changed (ui/live.go): the link worker
// and the next appointment. The patient's details are those read when the
// view was opened, so a refresh is not another reading of the record.
func (v *ReferralView) Refresh() {
	if v.patient.ID == 0 {
		return
	}
	r, err := v.app.store.Referral(context.Background(), v.app.session, v.id)
	if err != nil {
		return // the view keeps what it shows; the next open says why
	}
	v.show(r)
}

// show sets out the facts of the patient and the referral r.
func (v *ReferralView) show(r data.Referral) {
	ctx := context.Background()
	store, sess, p := v.app.store, v.app.session, v.patient
	facts := []caseFact{{"Born", data.FormatUKDate(p.DateOfBirth)}}
	if p.Phone != "" {
		facts = append(facts, caseFact{"Phone", p.Phone})
	}
	if p.Email != "" {
		facts = append(facts, caseFact{"E-mail", p.Email})
	}
	if p.PreferredContact != "" {
		facts = append(facts, caseFact{"Prefers", p.PreferredContact.Label()})
	}
	if n := p.CommunicationNeeds(); len(n) > 0 {
		facts = append(facts, caseFact{"Communication", strings.Join(n, ", ")})
	}
	worker := "not assigned"
	if workers, err := store.UsersWithRole(ctx, sess, data.RoleLinkWorker); err == nil {
		for _, w := range workers {
			if w.ID == r.LinkWorkerID {
				worker = w.FullName
			}
		}
	}
	facts = append(facts, caseFact{"Link worker", worker})
	next := "none booked"
	if a := nextAppointment(ctx, store, sess, p.ID); a != nil {
		next = a.Start.Format("Monday 2 January 2006, 15:04") + " with " + a.WorkerName
	}
	facts = append(facts, caseFact{"Next appointment", next})
	setCaseFacts(v.facts, facts)
}
