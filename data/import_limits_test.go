package data

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// orukFeed generates an Open Referral UK array of n services, each the
// published example with its own id and name, without holding the file in
// memory.
type orukFeed struct {
	t       *testing.T
	n, next int
	buf     bytes.Buffer
	size    int64
}

func (f *orukFeed) Read(p []byte) (int, error) {
	for f.buf.Len() < len(p) && f.next <= f.n {
		switch {
		case f.next == 0:
			f.buf.WriteString("[\n")
		default:
			i := f.next - 1
			if i > 0 {
				f.buf.WriteString(",\n")
			}
			item := bytes.Replace(orukFixture(f.t), []byte(`"ac148810-d857-441c-9679-408f346de14b"`), fmt.Appendf(nil, `"feed-%d"`, i), 1)
			item = bytes.Replace(item, []byte(`"Community Counselling"`), fmt.Appendf(nil, `"Community Counselling %d"`, i), 1)
			f.buf.Write(item)
		}
		f.next++
		if f.next > f.n {
			f.buf.WriteString("\n]\n")
		}
	}
	n, err := f.buf.Read(p)
	f.size += int64(n)
	return n, err
}

// A 30 MB feed is read a service at a time: the heap grows by less than
// the file, where reading it whole took three times its size (a 200 MB
// file used 843 MB).
func TestParseServicesJSONStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a 30 MB file")
	}
	feed := &orukFeed{t: t, n: 6000}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rows, err := ParseServicesJSON(feed)
	runtime.ReadMemStats(&after)
	if err != nil || len(rows) != feed.n {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if r := rows[feed.n-1]; r.Name != fmt.Sprintf("Community Counselling %d", feed.n-1) || r.ExternalID != fmt.Sprintf("feed-%d", feed.n-1) ||
		r.Schedule == "" || len(r.Problems) != 0 {
		t.Errorf("last row: %+v", r)
	}
	grew := int64(after.HeapSys - before.HeapSys)
	t.Logf("%d MB of JSON, %d services: heap grew by %d MB (%d MB allocated in all)",
		feed.size>>20, len(rows), grew>>20, (after.TotalAlloc-before.TotalAlloc)>>20)
	if feed.size < 30<<20 {
		t.Errorf("the feed is only %d bytes", feed.size)
	}
	if grew > feed.size*3/4 { // most of it is the services read, which are kept
		t.Errorf("the heap grew by %d MB for a %d MB file", grew>>20, feed.size>>20)
	}
}

// endless repeats its text for ever, like /dev/zero.
type endless struct {
	text string
	pos  int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.text[e.pos]
		e.pos = (e.pos + 1) % len(e.text)
	}
	return len(p), nil
}

func TestImportFilesThatNeverEnd(t *testing.T) {
	small := ImportLimits{MaxBytes: 1 << 20, MaxField: 10 << 10, MaxRows: 1_000_000}
	few := ImportLimits{MaxBytes: 100 << 20, MaxField: 10 << 10, MaxRows: 1000}
	for name, c := range map[string]struct {
		parse func(io.Reader, ImportLimits) ([]ServiceImport, error)
		r     io.Reader
		lim   ImportLimits
		want  string
	}{
		"JSON, endless spaces":   {ParseServicesJSONWithLimits, &endless{text: " "}, small, "larger than 1 MB"},
		"JSON, endless services": {ParseServicesJSONWithLimits, io.MultiReader(strings.NewReader("["), &endless{text: `{"name": "x"},`}), small, "larger than 1 MB"},
		"JSON, too many":         {ParseServicesJSONWithLimits, io.MultiReader(strings.NewReader("["), &endless{text: `{"name": "x"},`}), few, "more than 1000 services"},
		"JSON, endless string":   {ParseServicesJSONWithLimits, io.MultiReader(strings.NewReader(`[{"name": "`), &endless{text: "x"}), small, "larger than 1 MB"},
		"JSON, zeros":            {ParseServicesJSONWithLimits, &endless{text: "\x00"}, DefaultImportLimits, "not valid JSON"},
		"CSV, endless rows":      {ParseServicesCSVWithLimits, io.MultiReader(strings.NewReader("name\n"), &endless{text: "Walk\n"}), small, "larger than 1 MB"},
		"CSV, endless cell":      {ParseServicesCSVWithLimits, io.MultiReader(strings.NewReader("name\n\""), &endless{text: "x"}), small, "larger than 1 MB"},
		"CSV, too many":          {ParseServicesCSVWithLimits, io.MultiReader(strings.NewReader("name\n"), &endless{text: "Walk\n"}), few, "more than 1000 services"},
	} {
		rows, err := c.parse(c.r, c.lim)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %d rows, %v; want %q", name, len(rows), err, c.want)
		}
	}
}

func TestImportLimitsExactly(t *testing.T) {
	lim := ImportLimits{MaxBytes: 16, MaxField: 5, MaxRows: 2}
	if rows, err := ParseServicesCSVWithLimits(strings.NewReader("name\nWalk\nChoir\n"), lim); err != nil || len(rows) != 2 {
		t.Errorf("a file of exactly MaxBytes: %d rows, %v", len(rows), err)
	}
	if _, err := ParseServicesCSVWithLimits(strings.NewReader("name\nWalks\nChoir\n"), lim); err == nil || !strings.Contains(err.Error(), "larger than 16 bytes") {
		t.Errorf("one byte more: %v", err)
	}
	if _, err := ParseServicesCSVWithLimits(strings.NewReader("name\nA\nB\nC\n"), lim); err == nil || !strings.Contains(err.Error(), "more than 2") {
		t.Errorf("three rows: %v", err)
	}
}

// A text field over MaxField makes its row bad, naming the field.
func TestImportFieldTooLong(t *testing.T) {
	long := strings.Repeat("a", 10<<10+1)
	rows, err := ParseServicesJSON(strings.NewReader(`[{"name": "Fine", "description": "` + strings.Repeat("a", 10<<10) + `"},
		{"name": "Long", "service_at_locations": [{"location": {"addresses": [{"address_1": "` + long + `"}]}}]}]`))
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if len(rows[0].Problems) != 0 || len(rows[1].Problems) != 1 || !strings.Contains(rows[1].Problems[0], "address_1 is longer than 10 KB") {
		t.Errorf("problems: %q, %q", rows[0].Problems, rows[1].Problems)
	}
	rows, err = ParseServicesCSV(strings.NewReader("name,description\nLong," + long + "\n"))
	if err != nil || len(rows) != 1 || len(rows[0].Problems) != 1 || !strings.Contains(rows[0].Problems[0], "description is longer than 10 KB") {
		t.Errorf("CSV: %+v %v", rows, err)
	}
}

// A JSON syntax error names its line, however far into the file.
func TestParseServicesJSONSyntaxLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("[\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  {\"name\": \"Service %d\"},\n", i)
	}
	b.WriteString("  {\"name\" \"Broken\"}\n]\n") // line 5002
	_, err := ParseServicesJSON(strings.NewReader(b.String()))
	if err == nil || !strings.Contains(err.Error(), "line 5002") {
		t.Errorf("want line 5002: %v", err)
	}
	for src, want := range map[string]string{
		"[\n{\"name\": \"a\"}\n{\"name\": \"b\"}\n]": "line 3",
		"[\n{\"name\": \"a\"},\n":                    "ends in the middle",
		"{\"name\": \"a\"}\nmore":                    "more after the end",
	} {
		if _, err := ParseServicesJSON(strings.NewReader(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}
