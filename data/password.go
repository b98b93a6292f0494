package data

import (
	"strings"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
)

// The password policy, for every password that is set (first-run set-up,
// a new user, a reset). Length rules alone let "password12" through, so a
// password must also be hard to guess, as judged by zxcvbn (a port of
// Dropbox's estimator): it knows the 30,000 most common passwords, English
// words, names, keyboard patterns, sequences, repeats and dates. NCSC
// advice is the same: block common passwords rather than demand symbols.

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// maxPasswordBytes is bcrypt's limit: it ignores anything after 72 bytes.
const maxPasswordBytes = 72

// minPasswordScore is zxcvbn's score a password needs: 3 is "safely
// unguessable", about 10^8 guesses or more, which a stolen database hashed
// with bcrypt holds against for a long time. 2 and below fall to a
// dictionary attack quickly.
const minPasswordScore = 3

// PasswordHint is what a form shows beside a new password.
const PasswordHint = "at least 10 characters; three or four unrelated words are easy to remember and hard to guess"

// checkPassword adds a message for field when pw is not good enough. about
// are words the password should not be built from: the user's name and
// username.
func checkPassword(field, pw string, v *ValidationError, about ...string) {
	if msg := passwordProblem(pw, about...); msg != "" {
		v.add(field, "%s", msg)
	}
}

// passwordProblem says what is wrong with pw, or "" when it is good enough.
func passwordProblem(pw string, about ...string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return "the password needs at least 10 characters"
	case len(pw) > maxPasswordBytes:
		return "the password can have at most 72 characters"
	case strings.Count(pw, string([]rune(pw)[:1])) == utf8.RuneCountInString(pw):
		return "the password is one character repeated; choose one that is hard to guess"
	}
	var words []string
	for _, a := range about {
		words = append(words, strings.Fields(strings.ToLower(a))...)
	}
	r := zxcvbn.PasswordStrength(pw, words)
	if r.Score >= minPasswordScore {
		return ""
	}
	return "the password is too easy to guess: " + weakness(r.Sequence) +
		". Try three or four unrelated words, or a short phrase only you would think of"
}

// weakness names, in plain words, the first guessable part zxcvbn found.
func weakness(seq []*match.Match) string {
	for _, m := range seq {
		switch {
		case m.Pattern == "dictionary" && m.DictionaryName == "user_inputs":
			return "it is built from your name or username"
		case m.Pattern == "dictionary" && m.DictionaryName == "passwords":
			return "it is, or is built on, one of the most common passwords"
		case m.Pattern == "spatial":
			return "it follows the keys of a keyboard"
		case m.Pattern == "sequence":
			return "it is a run such as 12345 or abcde"
		case m.Pattern == "repeat":
			return "it repeats a few characters"
		case m.Pattern == "date":
			return "it is mostly a date"
		}
	}
	return "it is a common word or name with little added"
}
