package data

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FieldError is one bad field: the field's name as the domain type spells it
// (e.g. "NHSNumber") and a message for the user.
type FieldError struct {
	Field   string
	Message string
}

// ValidationError lists every bad field of a record, so a screen can show
// each message beside its field.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Message)
	}
	return strings.Join(parts, "; ")
}

// For returns the message for one field, or "".
func (e *ValidationError) For(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// orNil returns e when it holds a field, so callers can `return v.orNil()`.
func (e *ValidationError) orNil() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FieldErrors extracts the field messages from err, if it is a validation error.
func FieldErrors(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// NormaliseNHSNumber checks an NHS number and returns its 10 digits. Spaces
// and hyphens are allowed in the input (943 476 5919).
func NormaliseNHSNumber(s string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	if len(digits) != 10 {
		return "", errors.New("an NHS number has 10 digits")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", errors.New("an NHS number has digits only")
		}
	}
	if !nhsCheckDigitOK(digits) {
		return "", errors.New("this is not a valid NHS number (the check digit does not match); check it was typed correctly")
	}
	return digits, nil
}

// nhsCheckDigitOK applies the NHS Modulus 11 check: digits 1–9 are
// multiplied by 10 down to 2 and summed; 11 minus the remainder mod 11 is the
// check digit (11 means 0, 10 means the number is invalid).
func nhsCheckDigitOK(digits string) bool {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(digits[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	if check == 10 {
		return false
	}
	return check == int(digits[9]-'0')
}

// NHSCheckDigit returns the check digit for nine digits, or -1 when no
// check digit makes them valid. Used to make test-range numbers.
func NHSCheckDigit(nine string) int {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		return 0
	}
	if check == 10 {
		return -1
	}
	return check
}

// FormatNHSNumber shows a stored NHS number as 943 476 5919.
func FormatNHSNumber(digits string) string {
	if len(digits) != 10 {
		return digits
	}
	return digits[:3] + " " + digits[3:6] + " " + digits[6:]
}

// UK postcode: outward code (area, district) and inward code (sector, unit).
var postcodePattern = regexp.MustCompile(`^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$`)

// NormalisePostcode upper-cases a UK postcode and puts one space before the
// inward code: "ls11 5ab" → "LS11 5AB".
func NormalisePostcode(s string) (string, error) {
	compact := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	m := postcodePattern.FindStringSubmatch(compact)
	if m == nil {
		return "", errors.New("this is not a UK postcode (e.g. LS11 5AB)")
	}
	return m[1] + " " + m[2], nil
}

// NormalisePhone checks a UK or international phone number and returns it
// tidied (single spaces). It accepts digits, spaces, a leading +, brackets
// and hyphens, with 10 to 15 digits.
func NormalisePhone(s string) (string, error) {
	s = strings.Join(strings.Fields(s), " ")
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '(', r == ')', r == '-':
		default:
			return "", errors.New("a phone number has digits only (spaces, + and brackets allowed)")
		}
	}
	if digits < 10 || digits > 15 {
		return "", errors.New("a phone number has 10 to 15 digits, e.g. 0113 496 0000 or 07700 900123")
	}
	return s, nil
}

// NormaliseEmail checks an e-mail address and returns it trimmed.
func NormaliseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", errors.New("this is not an e-mail address (e.g. name@example.org)")
	}
	return s, nil
}

// ParseUKDate reads a date typed the UK way: 03/07/1956, 3/7/1956 or
// 03-07-1956; ISO 1956-07-03 is accepted too.
func ParseUKDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "02.01.2006", DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("type the date as DD/MM/YYYY, e.g. 03/07/1956")
}

// FormatUKDate shows a stored YYYY-MM-DD date as DD/MM/YYYY.
func FormatUKDate(iso string) string {
	t, err := time.Parse(DateLayout, iso)
	if err != nil {
		return iso
	}
	return t.Format("02/01/2006")
}

// checkDateOfBirth accepts dates from 1900 to today.
func checkDateOfBirth(dob, today time.Time) error {
	if dob.Year() < 1900 {
		return errors.New("the date of birth cannot be before 1900")
	}
	if dob.After(today) {
		return errors.New("the date of birth cannot be in the future")
	}
	return nil
}

// nameHasLetters is false for names with no letter at all ("123", "--").
func nameHasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// foldKey makes the search key of a name: lower case, no accents
// ("Ó Súilleabháin" → "o suilleabhain", "Łukasz" → "lukasz"), ß as ss
// ("Strauß" → "strauss", so that "strauss" and "strauß" find it alike).
// Migration 008 re-keyed the names stored when ß was s.
func foldKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		r = unicode.ToLower(r) // ẞ → ß
		if f, ok := extraFolds[r]; ok {
			return f
		}
		return r
	}, out)
	return strings.Join(strings.Fields(strings.ReplaceAll(out, "ß", "ss")), " ")
}

// Letters (lower case) that carry no combining mark and so survive NFD.
var extraFolds = map[rune]rune{
	'ł': 'l', 'ø': 'o', 'đ': 'd', 'æ': 'a', 'œ': 'o', 'ı': 'i',
	'\u2019': '\'', '\u2018': '\'',
}
