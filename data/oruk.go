package data

// Open Referral UK (HSDS 3) JSON: the exchange format for directories.
// Reading is lenient about shape (a service, an array, or one API page;
// numbers where text is expected; older ORUK field names) but each service
// must still pass the directory's checks.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// jsonText reads a JSON string, number or boolean as text; null is "".
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*t = ""
	case string:
		*t = jsonText(x)
	case float64:
		*t = jsonText(strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		*t = jsonText(strconv.FormatBool(x))
	default:
		// A type error, so the decoder names the field in its message.
		return &json.UnmarshalTypeError{Value: jsonValueKind(x), Type: reflect.TypeFor[string]()}
	}
	return nil
}

func jsonValueKind(v any) string {
	if _, ok := v.([]any); ok {
		return "array"
	}
	return "object"
}

func (t jsonText) String() string { return strings.TrimSpace(string(t)) }

// jsonNumber reads a number, or a string holding one; null or "" is unset.
type jsonNumber struct {
	Set   bool
	Value float64
}

func (n *jsonNumber) UnmarshalJSON(b []byte) error {
	var t jsonText
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	s := strings.TrimLeft(t.String(), "£$€")
	if s == "" {
		*n = jsonNumber{}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeFor[float64]()}
	}
	*n = jsonNumber{Set: true, Value: f}
	return nil
}

type orukService struct {
	ID                     jsonText            `json:"id"`
	Name                   jsonText            `json:"name"`
	Description            jsonText            `json:"description"`
	URL                    jsonText            `json:"url"`
	Email                  jsonText            `json:"email"`
	Status                 jsonText            `json:"status"`
	ApplicationProcess     jsonText            `json:"application_process"`
	FeesDescription        jsonText            `json:"fees_description"`
	Fees                   jsonText            `json:"fees"` // ORUK 1 / the published example
	EligibilityDescription jsonText            `json:"eligibility_description"`
	MinimumAge             jsonNumber          `json:"minimum_age"`
	MaximumAge             jsonNumber          `json:"maximum_age"`
	AssuredDate            jsonText            `json:"assured_date"`
	Organization           *orukOrganisation   `json:"organization"`
	Phones                 []orukPhone         `json:"phones"`
	Contacts               []orukContact       `json:"contacts"`
	Schedules              []orukSchedule      `json:"schedules"`
	ServiceAtLocations     []orukAtLocation    `json:"service_at_locations"`
	Locations              []orukLocation      `json:"locations"`
	CostOptions            []orukCostOption    `json:"cost_options"`
	Attributes             []orukAttribute     `json:"attributes"`
	ServiceTaxonomys       []orukOldTaxonomy   `json:"service_taxonomys"` // ORUK 1
	TaxonomyTerms          []orukTaxonomyTerm  `json:"taxonomy_terms"`
	Eligibilitys           []orukOldEligibilty `json:"eligibilitys"` // ORUK 1
}

type orukOrganisation struct {
	Name jsonText `json:"name"`
}

type orukPhone struct {
	Number jsonText `json:"number"`
}

type orukContact struct {
	Phones []orukPhone `json:"phones"`
}

type orukSchedule struct {
	Description jsonText `json:"description"`
	Freq        jsonText `json:"freq"`
	ByDay       jsonText `json:"byday"`
	OpensAt     jsonText `json:"opens_at"`
	ClosesAt    jsonText `json:"closes_at"`
}

type orukAtLocation struct {
	Location  *orukLocation  `json:"location"`
	Schedules []orukSchedule `json:"schedules"`
	Phones    []orukPhone    `json:"phones"`
}

type orukLocation struct {
	Name              jsonText            `json:"name"`
	Addresses         []orukAddress       `json:"addresses"`
	PhysicalAddresses []orukAddress       `json:"physical_addresses"` // ORUK 1
	Accessibility     []orukAccessibility `json:"accessibility"`
	OldAccessibility  []orukAccessibility `json:"accessibility_for_disabilities"` // ORUK 1
	Phones            []orukPhone         `json:"phones"`
}

type orukAddress struct {
	Address1    jsonText `json:"address_1"`
	Address2    jsonText `json:"address_2"`
	City        jsonText `json:"city"`
	PostalCode  jsonText `json:"postal_code"`
	AddressType jsonText `json:"address_type"`
}

type orukAccessibility struct {
	Description   jsonText `json:"description"`
	Accessibility jsonText `json:"accessibility"` // ORUK 1
	Details       jsonText `json:"details"`
}

type orukCostOption struct {
	Option            jsonText   `json:"option"`
	Currency          jsonText   `json:"currency"`
	Amount            jsonNumber `json:"amount"`
	AmountDescription jsonText   `json:"amount_description"`
}

type orukAttribute struct {
	TaxonomyTerm *orukTaxonomyTerm `json:"taxonomy_term"`
}

type orukTaxonomyTerm struct {
	Name jsonText `json:"name"`
	Term jsonText `json:"term"`
}

type orukOldTaxonomy struct {
	Taxonomy *orukTaxonomyTerm `json:"taxonomy"`
}

type orukOldEligibilty struct {
	Eligibility jsonText `json:"eligibility"`
}

// ParseServicesJSON reads Open Referral UK JSON: one service object, an
// array of them, or one page of the HSDS 3 API ({"contents": [...],
// "total_items": ..., "page_number": ...}). Rows are "item N", counted from
// 0. A service that cannot be read becomes a row with Problems, so
// ImportServices reports it beside every other bad row; only a file that is
// not JSON at all, or is over DefaultImportLimits, is an error here.
func ParseServicesJSON(r io.Reader) ([]ServiceImport, error) {
	return ParseServicesJSONWithLimits(r, DefaultImportLimits)
}

// ParseServicesJSONWithLimits is ParseServicesJSON with limits of its own.
// The file is read a service at a time, so memory holds the services read,
// never the whole file.
func ParseServicesJSONWithLimits(r io.Reader, lim ImportLimits) ([]ServiceImport, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	p := &orukParser{in: &importReader{r: br, max: lim.MaxBytes}, lim: lim}
	p.dec = json.NewDecoder(p.in)
	tok, err := p.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, p.fail(err)
	}
	switch tok {
	case json.Delim('['):
		err = p.items()
	case json.Delim('{'):
		err = p.object()
	default:
		return nil, errors.New("this is not a JSON file of services (it should start with { or [)")
	}
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); !errors.Is(err, io.EOF) {
		var syn *json.SyntaxError
		if err != nil && !errors.As(err, &syn) {
			return nil, err // too big, or the file could not be read
		}
		return nil, fmt.Errorf("this is not valid JSON (line %d: there is more after the end)", p.line())
	}
	if len(p.out) == 0 {
		return nil, errors.New("the file holds no services")
	}
	return p.out, nil
}

// orukParser reads services from a JSON stream, one at a time.
type orukParser struct {
	in  *importReader
	dec *json.Decoder
	lim ImportLimits
	out []ServiceImport
}

// items reads an array's services, after its '['.
func (p *orukParser) items() error {
	for p.dec.More() {
		var raw json.RawMessage
		if err := p.dec.Decode(&raw); err != nil {
			return p.fail(err)
		}
		if err := p.add(raw); err != nil {
			return err
		}
	}
	if _, err := p.dec.Token(); err != nil { // the closing ']'
		return p.fail(err)
	}
	return nil
}

// object reads an object, after its '{': an API page whose contents are
// read as they come, or else one service.
func (p *orukParser) object() error {
	fields := map[string]json.RawMessage{}
	listed := false
	for p.dec.More() {
		tok, err := p.dec.Token()
		if err != nil {
			return p.fail(err)
		}
		key, _ := tok.(string)
		if !listed && (key == "contents" || key == "content") { // content: older ORUK API pages
			if tok, err := p.dec.Token(); err != nil {
				return p.fail(err)
			} else if tok != json.Delim('[') {
				return errors.New("this is not an Open Referral UK file: contents must be a list of services")
			}
			if err := p.items(); err != nil {
				return err
			}
			listed = true
			continue
		}
		var v json.RawMessage
		if err := p.dec.Decode(&v); err != nil {
			return p.fail(err)
		}
		if !listed {
			fields[key] = v
		}
	}
	if _, err := p.dec.Token(); err != nil { // the closing '}'
		return p.fail(err)
	}
	if listed {
		return nil
	}
	one, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return p.add(one)
}

// add maps one service.
func (p *orukParser) add(raw json.RawMessage) error {
	if len(p.out) == p.lim.MaxRows {
		return p.lim.tooManyRows()
	}
	row := ServiceImport{Where: fmt.Sprintf("item %d", len(p.out))}
	var o orukService
	// A field of the wrong type is reported, and the rest still mapped
	// so that every other problem of the item is reported too.
	err := json.Unmarshal(raw, &o)
	row.Service, row.Problems = o.service()
	if err != nil {
		row.Problems = append([]string{plainJSONError(err)}, row.Problems...)
	}
	// Only an item longer than a field can hold a field that is too long.
	if len(raw) > p.lim.MaxField {
		if name := longJSONField(raw, p.lim.MaxField); name != "" {
			row.Problems = append(row.Problems, p.lim.fieldTooLong(name))
		}
	}
	p.out = append(p.out, row)
	return nil
}

// longJSONField names the first string in raw longer than max bytes (by
// the key it is under), or "".
func longJSONField(raw []byte, max int) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	key, wantKey := "", false
	var open []bool // for each open object or array: is it an object?
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				open = append(open, t == '{')
			} else {
				open = open[:len(open)-1]
			}
			wantKey = len(open) > 0 && open[len(open)-1]
			continue
		case string:
			if wantKey {
				key = t
			} else if len(t) > max {
				return key
			}
		}
		if len(open) > 0 && open[len(open)-1] {
			wantKey = !wantKey
		}
	}
}

// fail says where a JSON file stops making sense; a file over the limit
// says so itself.
func (p *orukParser) fail(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("this is not valid JSON (line %d: %v)", p.line(), syn)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return fmt.Errorf("this is not valid JSON (line %d: the file ends in the middle)", p.line())
	}
	return err
}

// line is the line where the decoder stands: the start of the value it
// could not read. The lines read, less those it holds but has not used.
func (p *orukParser) line() int {
	rest, _ := io.ReadAll(p.dec.Buffered())
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return 1 + p.in.lines - bytes.Count(rest, []byte("\n"))
}

func plainJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s should be %s, not %s", te.Field, jsonKind(te.Type.Kind().String()), jsonValueWords(te.Value))
		}
		return fmt.Sprintf("not a service: it should be an object, not %s", jsonValueWords(te.Value))
	}
	return err.Error()
}

// jsonValueWords names a JSON value's kind as the decoder reports it.
func jsonValueWords(v string) string {
	switch {
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "string":
		return "text"
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number"):
		return "a number"
	case strings.HasPrefix(v, "string "):
		return v[len("string "):]
	}
	return v
}

func jsonKind(k string) string {
	switch k {
	case "float64":
		return "a number"
	case "slice":
		return "a list"
	case "struct", "ptr":
		return "an object"
	}
	return "text"
}

// service maps an ORUK service to ours. Problems are values that cannot
// be mapped; format checks are left to Service.Normalise.
func (o orukService) service() (Service, []string) {
	var problems []string
	sv := Service{
		ExternalID:     o.ID.String(),
		Name:           o.Name.String(),
		Description:    o.Description.String(),
		Website:        o.URL.String(),
		Email:          o.Email.String(),
		LastVerifiedOn: o.AssuredDate.String(),
		Access:         accessFromText(o.ApplicationProcess.String()),
	}
	if len(sv.LastVerifiedOn) > 10 && sv.LastVerifiedOn[10] == 'T' {
		sv.LastVerifiedOn = sv.LastVerifiedOn[:10] // a date-time: keep the date
	}
	if o.Organization != nil {
		sv.Organisation = o.Organization.Name.String()
	}
	switch st := looseKey(o.Status.String()); st {
	case "", "active":
		sv.Status = "active"
	case "inactive", "temporarily closed", "paused":
		sv.Status = "paused"
	case "defunct", "closed":
		sv.Status = "closed"
	default:
		problems = append(problems, fmt.Sprintf("status: %q is not an Open Referral status (active, inactive, temporarily closed or defunct)", o.Status.String()))
	}

	// Where it is: the first location with an address.
	var locs []orukLocation
	for _, sal := range o.ServiceAtLocations {
		if sal.Location != nil {
			locs = append(locs, *sal.Location)
		}
	}
	locs = append(locs, o.Locations...)
	for _, l := range locs {
		if addr, postcode, ok := l.address(); ok {
			sv.Address, sv.Postcode = addr, postcode
			sv.Accessibility = l.accessibility()
			break
		}
	}
	if sv.Accessibility == "" {
		for _, l := range locs {
			if a := l.accessibility(); a != "" {
				sv.Accessibility = a
				break
			}
		}
	}

	// The first phone number: the service's, a contact's, then a location's.
	phones := append([]orukPhone(nil), o.Phones...)
	for _, c := range o.Contacts {
		phones = append(phones, c.Phones...)
	}
	for _, sal := range o.ServiceAtLocations {
		phones = append(phones, sal.Phones...)
	}
	for _, l := range locs {
		phones = append(phones, l.Phones...)
	}
	for _, p := range phones {
		if n := p.Number.String(); n != "" {
			sv.Phone = n
			break
		}
	}

	schedules := o.Schedules
	if len(schedules) == 0 {
		for _, sal := range o.ServiceAtLocations {
			schedules = append(schedules, sal.Schedules...)
		}
	}
	sv.Schedule = joinDistinct(schedules, func(sc orukSchedule) string { return sc.words() })

	sv.Cost, sv.IsFree = costWords(o.CostOptions)
	if len(o.CostOptions) == 0 {
		fees := o.FeesDescription.String()
		if fees == "" {
			fees = o.Fees.String()
		}
		sv.Cost, sv.IsFree = fees, saysFree(fees)
	}

	var elig []string
	if e := o.EligibilityDescription.String(); e != "" {
		elig = append(elig, e)
	}
	for _, e := range o.Eligibilitys {
		if t := e.Eligibility.String(); t != "" {
			elig = append(elig, t)
		}
	}
	if a := ageWords(o.MinimumAge, o.MaximumAge); a != "" {
		elig = append(elig, a)
	}
	sv.Eligibility = strings.Join(elig, "; ")

	var terms []string
	for _, a := range o.Attributes {
		if a.TaxonomyTerm != nil {
			terms = append(terms, a.TaxonomyTerm.Name.String(), a.TaxonomyTerm.Term.String())
		}
	}
	for _, t := range o.ServiceTaxonomys {
		if t.Taxonomy != nil {
			terms = append(terms, t.Taxonomy.Name.String(), t.Taxonomy.Term.String())
		}
	}
	for _, t := range o.TaxonomyTerms {
		terms = append(terms, t.Name.String(), t.Term.String())
	}
	sv.Categories = categoriesForTerms(terms)
	return sv, problems
}

// address renders a location's address (physical before postal). A postal
// code that is not a UK postcode stays in the address text rather than
// refuse the service: the published ORUK example has "ABC 1234".
func (l orukLocation) address() (addr, postcode string, ok bool) {
	all := append(append([]orukAddress(nil), l.Addresses...), l.PhysicalAddresses...)
	if len(all) == 0 {
		return "", "", false
	}
	a := all[0]
	for _, x := range all {
		if strings.EqualFold(x.AddressType.String(), "physical") {
			a = x
			break
		}
	}
	var parts []string
	line1 := a.Address1.String()
	if name := l.Name.String(); name != "" && !strings.Contains(strings.ToLower(line1), strings.ToLower(name)) {
		parts = append(parts, name)
	}
	for _, p := range []string{line1, a.Address2.String(), a.City.String()} {
		if p != "" && !slices.ContainsFunc(parts, func(q string) bool { return strings.EqualFold(p, q) }) {
			parts = append(parts, p)
		}
	}
	if pc := a.PostalCode.String(); pc != "" {
		if norm, err := NormalisePostcode(pc); err == nil {
			postcode = norm
		} else {
			parts = append(parts, pc)
		}
	}
	return strings.Join(parts, ", "), postcode, true
}

func (l orukLocation) accessibility() string {
	all := append(append([]orukAccessibility(nil), l.Accessibility...), l.OldAccessibility...)
	return joinDistinct(all, func(a orukAccessibility) string {
		d := a.Description.String()
		if d == "" {
			d = a.Accessibility.String()
		}
		if det := a.Details.String(); det != "" && d != "" {
			return d + " " + det
		}
		return d + a.Details.String()
	})
}

// joinDistinct renders each item and joins the non-empty, distinct words.
func joinDistinct[T any](items []T, words func(T) string) string {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if w := strings.TrimSpace(words(it)); w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return strings.Join(out, "; ")
}

var dayNames = map[string]string{"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
var dayOrder = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
var ordinals = map[string]string{"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last"}

// words renders a schedule as a person reads it: its own description, or
// "Tuesdays 10:00–12:00", "Mondays to Fridays 09:00–17:00", "First Monday
// of the month 14:00–16:00" from the iCalendar-style fields.
func (sc orukSchedule) words() string {
	if d := sc.Description.String(); d != "" {
		return d
	}
	var days []string
	weekly := map[string]bool{}
	for _, d := range strings.Split(strings.ToUpper(sc.ByDay.String()), ",") {
		d = strings.TrimSpace(d)
		if len(d) < 2 {
			continue
		}
		code, ord := d[len(d)-2:], d[:len(d)-2]
		name, ok := dayNames[code]
		if !ok {
			continue
		}
		if ord == "" {
			weekly[code] = true
		} else if w, ok := ordinals[strings.TrimPrefix(ord, "+")]; ok {
			days = append(days, w+" "+name+" of the month")
		}
	}
	if len(weekly) > 0 {
		days = append([]string{weeklyDays(weekly)}, days...)
	} else if len(days) == 0 && strings.EqualFold(sc.Freq.String(), "DAILY") {
		days = append(days, "daily")
	}
	when := strings.Join(days, " and ")
	times := clockTime(sc.OpensAt.String())
	if c := clockTime(sc.ClosesAt.String()); c != "" && times != "" {
		times += "–" + c
	}
	out := strings.TrimSpace(when + " " + times)
	if out == "" {
		return ""
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// weeklyDays: "Mondays to Fridays" for a run of three or more days,
// otherwise "Tuesdays and Thursdays".
func weeklyDays(set map[string]bool) string {
	var idx []int
	for i, d := range dayOrder {
		if set[d] {
			idx = append(idx, i)
		}
	}
	var groups []string
	for start := 0; start < len(idx); {
		end := start
		for end+1 < len(idx) && idx[end+1] == idx[end]+1 {
			end++
		}
		first, last := dayNames[dayOrder[idx[start]]]+"s", dayNames[dayOrder[idx[end]]]+"s"
		switch {
		case end-start >= 2:
			groups = append(groups, first+" to "+last)
		case end > start:
			groups = append(groups, first, last)
		default:
			groups = append(groups, first)
		}
		start = end + 1
	}
	if len(groups) == 1 {
		return groups[0]
	}
	return strings.Join(groups[:len(groups)-1], ", ") + " and " + groups[len(groups)-1]
}

// clockTime shows "10:00:00" or "10:00:00Z" as "10:00".
func clockTime(s string) string {
	if len(s) >= 5 && s[2] == ':' {
		return s[:5]
	}
	return s
}

// costWords renders cost options ("Under 18s: £35 per session"). Free
// when every option is free: an amount of 0, or words that say so.
func costWords(opts []orukCostOption) (string, bool) {
	if len(opts) == 0 {
		return "", false
	}
	free := true
	words := joinDistinct(opts, func(c orukCostOption) string {
		option, desc := c.Option.String(), c.AmountDescription.String()
		var price string
		switch {
		case !c.Amount.Set:
			if !saysFree(option) && !saysFree(desc) {
				free = false
			}
		case c.Amount.Value == 0:
			if option == "" {
				price = "Free"
			}
		default:
			free = false
			price = money(c.Amount.Value, c.Currency.String())
		}
		price = strings.TrimSpace(price + " " + desc)
		switch {
		case option == "":
			return price
		case price == "":
			return option
		}
		return option + ": " + price
	})
	return words, free
}

func money(v float64, currency string) string {
	amount := strconv.FormatFloat(v, 'f', 2, 64)
	if v == math.Trunc(v) {
		amount = strconv.FormatFloat(v, 'f', 0, 64)
	}
	switch strings.ToUpper(currency) {
	case "", "GBP":
		return "£" + amount
	case "EUR":
		return "€" + amount
	}
	return amount + " " + strings.ToUpper(currency)
}

// saysFree: "Free", "Free for carers", "No charge", "no cost".
func saysFree(s string) bool {
	k := quickFold(s)
	return strings.HasPrefix(k, "free") || strings.Contains(k, "no charge") || strings.Contains(k, "no cost")
}

func ageWords(lo, hi jsonNumber) string {
	switch {
	case lo.Set && hi.Set:
		return fmt.Sprintf("Ages %g to %g", lo.Value, hi.Value)
	case lo.Set:
		return fmt.Sprintf("Ages %g and over", lo.Value)
	case hi.Set:
		return fmt.Sprintf("Ages up to %g", hi.Value)
	}
	return ""
}

// accessFromText reads ORUK's application_process: our own labels (as
// WriteServicesJSON writes them), or a few common phrasings. "" when it
// does not say, so an import keeps the entry's own.
func accessFromText(s string) string {
	if code, ok := choiceCode(ServiceAccess, s, ""); ok {
		return code
	}
	k := " " + looseKey(s) + " "
	switch {
	case strings.Contains(k, " drop in ") || strings.Contains(k, " walk in ") || strings.Contains(k, " just turn up "):
		return "drop_in"
	case strings.Contains(k, " self refer"):
		return "self_refer"
	case strings.Contains(k, " referral"):
		return "needs_referral"
	}
	return ""
}

// categoryKeywords maps taxonomy words to our categories. A keyword ending
// in a space must be a whole word; others match the start of a word
// ("befriend" finds "Befriending services").
var categoryKeywords = []struct {
	category string
	keywords []string
}{
	{"befriending", []string{"befriend", "loneliness", "lonely", "social isolation"}},
	{"arts", []string{"art ", "arts ", "craft", "creative", "painting", "drawing", "pottery"}},
	{"gardening", []string{"garden", "allotment", "horticultur", "growing"}},
	{"walking", []string{"walk", "rambl", "hiking"}},
	{"exercise", []string{"exercise", "fitness", "sport", "physical activity", "yoga", "swim", "dance", "tai chi", "keep fit"}},
	{"choirs", []string{"choir", "singing", "sing "}},
	{"dementia", []string{"dementia", "alzheimer", "memory"}},
	{"debt and benefits advice", []string{"debt", "benefit", "money", "financ", "welfare rights", "citizens advice"}},
	{"foodbank", []string{"foodbank", "food bank", "food parcel", "food poverty", "food support"}},
	{"housing", []string{"housing", "homeless", "tenan", "accommodation"}},
	{"employment", []string{"employ", "job ", "jobs ", "career", "work skills"}},
	{"carers", []string{"carer", "caring for"}},
	{"bereavement", []string{"bereave", "grief", "griev"}},
	{"veterans", []string{"veteran", "armed forces", "ex service", "military"}},
	{"mental wellbeing", []string{"mental", "wellbeing", "well being", "anxiety", "depression", "counsel", "stress", "mindful", "talking therap"}},
	{"lunch clubs", []string{"lunch", "luncheon", "meals ", "dining"}},
	{"transport", []string{"transport", "community bus", "dial a ride", "travel"}},
	{"digital skills", []string{"digital", "computer", "internet", "online skills", "it skills"}},
	{"faith and culture", []string{"faith", "church", "mosque", "temple", "synagogue", "gurdwara", "religio", "cultur"}},
	{"youth", []string{"youth", "young people", "teenager"}},
}

// categoriesForTerms maps taxonomy terms to categories by keyword. Terms
// that match none are ignored: a service with no category still imports.
func categoriesForTerms(terms []string) []string {
	var cats []string
	for _, t := range terms {
		k := " " + looseKey(t) + " "
		if strings.TrimSpace(k) == "" {
			continue
		}
		for _, ck := range categoryKeywords {
			if " "+ck.category+" " == k {
				cats = append(cats, ck.category)
				continue
			}
			for _, kw := range ck.keywords {
				if strings.Contains(k, " "+kw) {
					cats = append(cats, ck.category)
					break
				}
			}
		}
	}
	cats, _ = normaliseCategories(cats)
	return cats
}

// orukOut is the shape WriteServicesJSON writes: HSDS 3 field names, only
// those Linkwell holds.
type orukOut struct {
	ID                     string             `json:"id"`
	Name                   string             `json:"name"`
	Description            string             `json:"description,omitempty"`
	URL                    string             `json:"url,omitempty"`
	Email                  string             `json:"email,omitempty"`
	Status                 string             `json:"status"`
	ApplicationProcess     string             `json:"application_process,omitempty"`
	EligibilityDescription string             `json:"eligibility_description,omitempty"`
	AssuredDate            string             `json:"assured_date,omitempty"`
	Organization           *orukOrgOut        `json:"organization,omitempty"`
	Phones                 []orukPhoneOut     `json:"phones,omitempty"`
	Schedules              []orukScheduleOut  `json:"schedules,omitempty"`
	ServiceAtLocations     []orukAtLocOut     `json:"service_at_locations,omitempty"`
	CostOptions            []orukCostOut      `json:"cost_options,omitempty"`
	Attributes             []orukAttributeOut `json:"attributes,omitempty"`
}

type orukOrgOut struct {
	Name string `json:"name"`
}
type orukPhoneOut struct {
	Number string `json:"number"`
}
type orukScheduleOut struct {
	Description string `json:"description"`
}
type orukAtLocOut struct {
	Location orukLocationOut `json:"location"`
}
type orukLocationOut struct {
	LocationType  string           `json:"location_type"`
	Addresses     []orukAddressOut `json:"addresses,omitempty"`
	Accessibility []orukAccessOut  `json:"accessibility,omitempty"`
}
type orukAddressOut struct {
	Address1    string `json:"address_1"`
	PostalCode  string `json:"postal_code,omitempty"`
	Country     string `json:"country"`
	AddressType string `json:"address_type"`
}
type orukAccessOut struct {
	Description string `json:"description"`
}
type orukCostOut struct {
	Option string   `json:"option,omitempty"`
	Amount *float64 `json:"amount,omitempty"`
}
type orukAttributeOut struct {
	LinkType     string      `json:"link_type"`
	TaxonomyTerm orukTermOut `json:"taxonomy_term"`
}
type orukTermOut struct {
	Name     string `json:"name"`
	Taxonomy string `json:"taxonomy"`
}

// ServiceStatuses as Open Referral says them.
var orukStatus = map[string]string{"active": "active", "paused": "temporarily closed", "closed": "defunct"}

// WriteServicesJSON writes services as an Open Referral UK JSON array,
// which ParseServicesJSON reads back to the same services. Categories go as
// taxonomy terms and the way in as application_process.
func WriteServicesJSON(w io.Writer, services []Service) error {
	out := make([]orukOut, 0, len(services))
	zero := 0.0
	for _, s := range services {
		o := orukOut{
			ID: exportID(s), Name: s.Name, Description: s.Description, URL: s.Website, Email: s.Email,
			Status: orukStatus[s.Status], ApplicationProcess: LabelOf(ServiceAccess, s.Access),
			EligibilityDescription: s.Eligibility, AssuredDate: s.LastVerifiedOn,
		}
		if s.Organisation != "" {
			o.Organization = &orukOrgOut{Name: s.Organisation}
		}
		if s.Phone != "" {
			o.Phones = []orukPhoneOut{{s.Phone}}
		}
		if s.Schedule != "" {
			o.Schedules = []orukScheduleOut{{s.Schedule}}
		}
		if s.Address != "" || s.Postcode != "" || s.Accessibility != "" {
			loc := orukLocationOut{LocationType: "physical"}
			if s.Address != "" || s.Postcode != "" {
				loc.Addresses = []orukAddressOut{{Address1: s.Address, PostalCode: s.Postcode, Country: "GB", AddressType: "physical"}}
			}
			if s.Accessibility != "" {
				loc.Accessibility = []orukAccessOut{{s.Accessibility}}
			}
			o.ServiceAtLocations = []orukAtLocOut{{loc}}
		}
		if s.Cost != "" || s.IsFree {
			c := orukCostOut{Option: s.Cost}
			if s.IsFree {
				c.Amount = &zero
			}
			o.CostOptions = []orukCostOut{c}
		}
		for _, c := range s.Categories {
			o.Attributes = append(o.Attributes, orukAttributeOut{LinkType: "service",
				TaxonomyTerm: orukTermOut{Name: c, Taxonomy: "Linkwell directory categories"}})
		}
		out = append(out, o)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
