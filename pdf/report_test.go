package pdf

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"linkwell/data"
)

// sampleReport is a month of made-up figures, with a gap in the DNA line.
func sampleReport(empty bool) *data.Report {
	p, _ := data.ParseMonth("2026-08")
	r := &data.Report{Practice: "Riverside Medical Practice", Period: p,
		AsAt: time.Date(2026, 9, 3, 11, 0, 0, 0, time.UTC), CaseloadAt: time.Date(2026, 8, 31, 23, 0, 0, 0, time.UTC)}
	for _, c := range data.ReferralSources {
		r.BySource = append(r.BySource, data.Count{Code: c.Code, Label: c.Label})
	}
	for _, c := range data.ReferralReasons {
		r.ByReason = append(r.ByReason, data.Count{Code: c.Code, Label: c.Label})
	}
	for _, c := range data.AgeBands {
		r.ByAge = append(r.ByAge, data.Count{Code: c.Code, Label: c.Label})
	}
	for _, e := range data.EthnicCategories {
		r.ByEthnicity = append(r.ByEthnicity, data.Count{Code: e.Code, Label: e.Label})
	}
	for _, st := range data.ReferralStatuses {
		r.Pipeline = append(r.Pipeline, data.Count{Code: string(st), Label: st.Label()})
	}
	for i, l := range data.ONS4Short {
		r.ONS4 = append(r.ONS4, data.ONS4Change{Question: l, Label: data.ONS4Short[i]})
	}
	for i := 0; i < 12; i++ {
		r.Months = append(r.Months, data.MonthPoint{Month: time.Date(2025, time.Month(9+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")})
	}
	r.Incentive = data.Incentive{From: "2025-09-01", To: "2026-08-31", ListSize: 10000, Lower: 1.2, Upper: 1.6}
	if empty {
		return r
	}
	r.Received, r.ReceivedLastYear = 37, 29
	r.BySource[0].N, r.BySource[8].N = 30, 7
	r.ByReason[0].N = 21
	r.ByAge[5].N = 3
	r.Pipeline[0].N, r.Pipeline[3].N, r.Pipeline[4].N = 12, 48, 310
	r.Outcomes = data.Outcomes{Accepted: 25, Declined: 4, UnableToContact: 2}
	r.ToFirstContact = data.Wait{N: 30, Median: 4.5, P90: 12}
	r.Workers = []data.WorkerFigures{{WorkerID: 1, Name: "Amira Khan", Caseload: 41, Booked: 60, Attended: 48, DNA: 7, Cancelled: 5}}
	r.ONS4[0] = data.ONS4Change{Question: "x", Label: "Life satisfaction", N: 12, Baseline: 4.2, Latest: 6.1, Change: 1.9}
	r.Incentive.Coded, r.Incentive.Percent = 150, 1.5
	for i := range r.Months {
		r.Months[i].Referrals = 20 + i*2
		if i != 4 {
			r.Months[i].Attended, r.Months[i].DNA = 40, i
		}
	}
	return r
}

func TestMonthlyReturnPDF(t *testing.T) {
	for _, empty := range []bool{false, true} {
		var buf bytes.Buffer
		if err := MonthlyReturn(&buf, sampleReport(empty)); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("LINKWELL_PDF_OUT"); dir != "" {
			name := "return.pdf"
			if empty {
				name = "return-empty.pdf"
			}
			os.WriteFile(dir+"/"+name, buf.Bytes(), 0o644)
		}
		text := pdfText(t, buf.Bytes())
		for _, want := range []string{"Riverside Medical Practice", "August 2026", "Referrals received per month", "Pipeline now",
			"DNA rate per month", "Page 1 of ", "871731000000106"} {
			if !strings.Contains(text, want) {
				t.Errorf("empty=%v: PDF text lacks %q", empty, want)
			}
		}
		if !empty {
			for _, want := range []string{"37", "Amira Khan", "+1.9", "1.50%"} {
				if !strings.Contains(text, want) {
					t.Errorf("PDF text lacks %q", want)
				}
			}
		}
	}
}

func BenchmarkMonthlyReturnPDF(b *testing.B) {
	r := sampleReport(false)
	for b.Loop() {
		var buf bytes.Buffer
		if err := MonthlyReturn(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}
