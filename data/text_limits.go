package data

import (
	"fmt"
	"unicode/utf8"
)

// NoteMaxChars is the longest case or contact note, in characters (not
// bytes: "Łukasz" is six). A note is what happened at one contact; 5,000
// characters is two full pages. Longer text, often a letter pasted whole,
// made the timeline lay entries over each other (issue 17); a letter
// belongs in the GP record.
const NoteMaxChars = 5000

// The other free text a person types has limits of its own, for the same
// reason: what matters to the patient and a status move's reason are a
// paragraph, why a referral is urgent a line or two.
const (
	WhatMattersMaxChars    = 2000
	MoveReasonMaxChars     = 2000
	PriorityReasonMaxChars = 300
)

// formatCount writes a count the way the screens do, with thousands
// separated by commas: 5,000.
func formatCount(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + formatCount(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// NoteLength is a note's length as NoteMaxChars counts it.
func NoteLength(text string) int { return utf8.RuneCountInString(text) }

// checkNoteLength refuses, as the field's error, a note over NoteMaxChars.
func checkNoteLength(v *ValidationError, field, text string) {
	checkLength(v, field, "a note", text, NoteMaxChars)
}

// checkLength refuses, as the field's error, text over max characters,
// saying how long it is: "a note is at most 5,000 characters; this one has
// 5,001".
func checkLength(v *ValidationError, field, what, text string, max int) {
	if n := NoteLength(text); n > max {
		v.add(field, "%s is at most %s characters; this one has %s", what, formatCount(max), formatCount(n))
	}
}
