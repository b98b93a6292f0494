package data

// ServiceCategories are the categories of the community directory, a
// fixed list: a new category is added here, in code. A service stores its
// categories separated by ';'.
var ServiceCategories = []string{
	"befriending", "arts", "gardening", "walking", "exercise", "choirs", "dementia",
	"debt and benefits advice", "foodbank", "housing", "employment", "carers", "bereavement",
	"veterans", "mental wellbeing", "lunch clubs", "transport", "digital skills",
	"faith and culture", "youth",
}

// How a service is accessed.
var ServiceAccess = []Choice{{"drop_in", "Drop in"}, {"self_refer", "Self refer"}, {"needs_referral", "Needs referral"}}

// A service's status: paused and closed services stay on record but
// cannot be prescribed.
var ServiceStatuses = []Choice{{"active", "Active"}, {"paused", "Paused"}, {"closed", "Closed"}}

// Service is one entry of the community directory (DESIGN.md §3).
type Service struct {
	ID             int64
	ExternalID     string // the id in an imported feed (Open Referral UK), "" for local entries
	Name           string
	Organisation   string
	Categories     []string // from ServiceCategories
	Description    string
	Address        string
	Postcode       string
	Phone          string
	Email          string
	Website        string
	Schedule       string // when it runs, in words ("Tuesdays 10:00–12:00")
	Cost           string // in words ("Free", "£3 a session")
	IsFree         bool
	Access         string // a ServiceAccess code
	Eligibility    string
	Accessibility  string
	Status         string // a ServiceStatuses code
	LastVerifiedOn string // YYYY-MM-DD, "" if never
	VerifiedBy     string // the verifier's name (read only)
}
