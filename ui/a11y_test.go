package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Every button, link and custom widget a screen reader can be given has a
// label that says what it is: not empty, and not an icon's file name, which
// is what Fyne reads for an icon-only button. The walk goes through every
// screen each demo role sees, into widgets too (Fyne 2.8's own walk stops
// at widgets; a later one may not).
func TestScreenReaderLabels(t *testing.T) {
	dw := newDiaryWorld(t)
	for _, username := range []string{"admin", "manager", "gp1", "linkworker1", "reception1"} {
		u := dw.signInAs(t, username)
		for _, p := range pages() {
			if !p.allows(u.Role) {
				continue
			}
			dw.a.Show(p.name)
			checkLabels(t, username+" on "+p.name, dw.w.Canvas().Content())
		}
	}
	// The rows that appear only with content: a prescription's services.
	dw.signInAs(t, "linkworker1")
	patient, _, _ := rxPatient(t, dw)
	dw.a.StartPrescription(patient.ID, 0)
	for _, sv := range twoServices(t, dw.store) {
		dw.a.rx.AddService(sv)
	}
	checkLabels(t, "a prescription with two services", dw.w.Canvas().Content())
}

func checkLabels(t *testing.T, where string, o fyne.CanvasObject) {
	t.Helper()
	walkObjects(o, func(o fyne.CanvasObject) {
		a, ok := o.(fyne.Accessible)
		if !ok {
			return
		}
		role := a.AccessibilityRole()
		if role == fyne.AccessibleRoleContainer {
			return // never read out
		}
		label, err := accessibilityLabel(a)
		switch {
		case err != nil:
			t.Errorf("%s: a %T with no text or icon: %v", where, o, err)
		case role == fyne.AccessibleRoleText && label == "":
			// an empty message line: nothing to read
		case strings.TrimSpace(label) == "" || strings.HasSuffix(label, ".svg") || strings.HasSuffix(label, ".png"):
			t.Errorf("%s: a %T (%s) is read out as %q", where, o, role, label)
		}
	})
}

// accessibilityLabel calls AccessibilityLabel, which panics for a Button
// with neither text nor icon.
func accessibilityLabel(a fyne.Accessible) (label string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return a.AccessibilityLabel(), nil
}

// walkObjects visits o and everything inside it: a container's objects and
// a widget's rendered objects. Hidden objects are visited too (a screen
// shows them later), except inside a widget's rendering, where hidden parts
// of Fyne's own widgets (a Form's unused Submit and Cancel) never show.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	walkFrom(o, false, visit)
}

func walkFrom(o fyne.CanvasObject, inWidget bool, visit func(fyne.CanvasObject)) {
	if o == nil || (inWidget && !o.Visible()) {
		return
	}
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walkFrom(child, inWidget, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walkFrom(child, true, visit)
		}
	}
}
