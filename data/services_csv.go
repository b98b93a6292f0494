package data

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding"
)

// ServicesCSVHeader is the first line of a directory CSV file, one service
// per row after it. The file may be UTF-8 (with or without a byte-order
// mark), UTF-16 with a byte-order mark, or Windows-1252 (Excel's plain
// "CSV" on a UK PC), which the import then says it assumed (see
// textReader). Columns may come in any order and all but name may be left
// out:
//
//	external_id    the service's id in its source feed; re-importing a row
//	               with the same id updates that entry. Blank: the entry with
//	               the same name and organisation is updated, else one is added.
//	name           required
//	organisation   who runs it
//	categories     from the fixed list (ServiceCategories), separated by ';'
//	description    what happens there, in a sentence or two
//	address        one line, e.g. "Hope Centre, 12 Mill Lane, Halifax"
//	postcode       a UK postcode
//	phone          10 to 15 digits; spaces, + and brackets allowed
//	email          one e-mail address
//	website        https://… (https:// is added when left out)
//	schedule       when it runs, in words: "Tuesdays 10:00–12:00"
//	cost           in words: "Free", "£3 a session"
//	free           yes or no; blank: yes when cost starts with "Free"
//	access         drop_in, self_refer or needs_referral (or Drop in, …);
//	               blank: self_refer for a new entry, unchanged for an update
//	eligibility    who it is for
//	accessibility  step-free access, hearing loop, …
//	status         active, paused or closed; blank: active for a new entry,
//	               unchanged for an update
//	last_verified  YYYY-MM-DD (or DD/MM/YYYY) when the entry was last
//	               checked; an older date than the directory's is ignored
var ServicesCSVHeader = []string{
	"external_id", "name", "organisation", "categories", "description", "address", "postcode", "phone", "email",
	"website", "schedule", "cost", "free", "access", "eligibility", "accessibility", "status", "last_verified",
}

// ParseServicesCSV reads a directory CSV file (see ServicesCSVHeader). Rows
// are "line N", counting the header as line 1. Bad values are left in the
// row (or noted in its Problems) for ImportServices to report with every
// other bad row; only a file that cannot be read as CSV, or is over
// DefaultImportLimits, is an error here.
func ParseServicesCSV(r io.Reader) ([]ServiceImport, error) {
	return ParseServicesCSVWithLimits(r, DefaultImportLimits)
}

// ParseServicesCSVWithLimits is ParseServicesCSV with limits of its own.
func ParseServicesCSVWithLimits(r io.Reader, lim ImportLimits) ([]ServiceImport, error) {
	text := newTextReader(&importReader{r: r, max: lim.MaxBytes})
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1 // a short row is reported as a bad row, not a broken file
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; its first line must be the header: " + strings.Join(ServicesCSVHeader, ","))
	}
	if err != nil {
		return nil, csvError(err, 0)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(h)), " ", "_")
		known := false
		for _, k := range ServicesCSVHeader {
			known = known || k == name
		}
		switch {
		case name == "" && i == len(header)-1:
			continue // a trailing comma from a spreadsheet
		case !known:
			return nil, fmt.Errorf("line 1: unknown column %q; the columns are: %s", h, strings.Join(ServicesCSVHeader, ","))
		}
		if _, dup := col[name]; dup {
			return nil, fmt.Errorf("line 1: the column %q appears twice", name)
		}
		col[name] = i
	}
	if _, ok := col["name"]; !ok {
		return nil, errors.New("line 1: the header has no name column; the columns are: " + strings.Join(ServicesCSVHeader, ","))
	}

	var out []ServiceImport
	lastLine := 1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err, lastLine)
		}
		line, _ := cr.FieldPos(0)
		lastLine = line
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a blank row
		}
		if len(out) == lim.MaxRows {
			return nil, lim.tooManyRows()
		}
		row := ServiceImport{Where: fmt.Sprintf("line %d", line)}
		for i, cell := range rec {
			if len(cell) > lim.MaxField && i < len(header) {
				row.Problems = append(row.Problems, lim.fieldTooLong(strings.TrimSpace(header[i])))
			}
		}
		if len(rec) < len(header) || len(rec) > len(header) && strings.TrimSpace(strings.Join(rec[len(header):], "")) != "" {
			row.Problems = append(row.Problems, fmt.Sprintf("the row has %s but the header has %d columns", plural(len(rec), "cell"), len(header)))
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return unguardCell(strings.TrimSpace(rec[i]))
		}
		sv := Service{
			ExternalID: get("external_id"), Name: get("name"), Organisation: get("organisation"),
			Description: get("description"), Address: get("address"), Postcode: get("postcode"), Phone: get("phone"),
			Email: get("email"), Website: get("website"), Schedule: get("schedule"), Cost: get("cost"),
			Access: get("access"), Eligibility: get("eligibility"), Accessibility: get("accessibility"),
			Status: get("status"), LastVerifiedOn: get("last_verified"),
		}
		for _, c := range strings.Split(get("categories"), ";") {
			if c = strings.TrimSpace(c); c != "" {
				sv.Categories = append(sv.Categories, c)
			}
		}
		switch strings.ToLower(get("free")) {
		case "":
			sv.IsFree = saysFree(sv.Cost)
		case "yes", "y", "true", "1", "free":
			sv.IsFree = true
		case "no", "n", "false", "0", "paid":
		default:
			row.Problems = append(row.Problems, fmt.Sprintf("free: say yes or no, not %q", get("free")))
		}
		// Spreadsheets save dates the UK way; anything else is reported
		// by Normalise as it stands.
		if d := sv.LastVerifiedOn; d != "" {
			if _, err := time.Parse(DateLayout, d); err != nil {
				if t, err := ParseUKDate(d); err == nil {
					sv.LastVerifiedOn = t.Format(DateLayout)
				}
			}
		}
		row.Service = sv
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, errors.New("the file holds no services, only the header")
	}
	enc := cmp.Or(text.Encoding, EncodingUTF8) // all ASCII reads the same as UTF-8
	for i := range out {
		out[i].Encoding = enc
	}
	return out, nil
}

// csvError says what is wrong with a file that cannot be read as CSV;
// lastLine is the last row read well.
func csvError(err error, lastLine int) error {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("line %d is not valid CSV (%v); check its quotes", pe.StartLine, pe.Err)
	case errors.Is(err, encoding.ErrInvalidUTF8) && lastLine < 2:
		return errors.New("the file mixes UTF-8 with another encoding, so it cannot be read; save it again from the spreadsheet as \"CSV UTF-8\"")
	case errors.Is(err, encoding.ErrInvalidUTF8):
		return fmt.Errorf("the file is UTF-8 up to line %d but not after it, so it cannot be read; save it again from the spreadsheet as \"CSV UTF-8\"", lastLine)
	}
	return err
}

// WriteServicesCSV writes services under ServicesCSVHeader: UTF-8 with a
// byte-order mark and CRLF line ends, as spreadsheets expect.
// ParseServicesCSV reads it back to the same services.
func WriteServicesCSV(w io.Writer, services []Service) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	cw.Write(ServicesCSVHeader)
	for _, s := range services {
		free := "no"
		if s.IsFree {
			free = "yes"
		}
		row := []string{exportID(s), s.Name, s.Organisation, strings.Join(s.Categories, ";"), s.Description, s.Address,
			s.Postcode, s.Phone, s.Email, s.Website, s.Schedule, s.Cost, free, s.Access, s.Eligibility, s.Accessibility,
			s.Status, s.LastVerifiedOn}
		for i := range row {
			row[i] = guardCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// guardCell stops a spreadsheet running a cell as a formula ("=HYPERLINK…",
// "+44 …") with a leading ', as the referrals export does. unguardCell
// takes it off again on import, so a file round-trips.
func guardCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func unguardCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// plural: "1 cell", "3 cells".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
