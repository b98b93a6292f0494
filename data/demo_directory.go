package data

// The demo's community directory: kinds of service by category, placed in
// the town's areas and venues.

import (
	"fmt"
	"strings"
)

// serviceTemplate is one kind of service; {A} is replaced by an area and {V}
// by a venue, so each template makes several services.
type serviceTemplate struct {
	name, org, desc string
	extra           []string // categories besides the template's own
}

type serviceCategoryInfo struct {
	access      []int // weights of drop_in, self_refer, needs_referral
	costs       []string
	eligibility []string
	schedules   []string
	templates   []serviceTemplate
}

var demoAreas = []string{"Riverside", "Northgate", "Millbank", "Westfield", "Hill Top", "Eastwood", "St Mary's", "Canal Side", "Moor End", "Old Town"}

var demoVenues = []struct{ name, street, area, postcode string }{
	{"St Mary's Church Hall", "Church Lane", "St Mary's", "HX1 3SM"},
	{"Northgate Community Centre", "Northgate Road", "Northgate", "HX2 6NG"},
	{"Calderbridge Central Library", "Market Street", "Old Town", "HX1 1LB"},
	{"Millbank Community Hub", "Canal Street", "Millbank", "HX3 9BH"},
	{"Westfield Methodist Church", "Westfield Avenue", "Westfield", "HX4 2WM"},
	{"Hill Top Scout Hut", "Moor Lane", "Hill Top", "HX5 8HT"},
	{"The Old Mill Arts Centre", "Weavers Row", "Canal Side", "HX3 7AR"},
	{"Eastwood Park Pavilion", "Park Drive", "Eastwood", "HX6 4EP"},
	{"Riverside Leisure Centre", "Riverside Way", "Riverside", "HX1 4RL"},
	{"Calderbridge Mosque Community Rooms", "Brunswick Street", "Old Town", "HX1 5QM"},
	{"Moor End Allotments", "Allotment Lane", "Moor End", "HX2 9AL"},
	{"Canal Side Wharf", "Wharf Street", "Canal Side", "HX3 8WF"},
	{"Calderbridge Town Hall", "Crossley Street", "Old Town", "HX1 1TH"},
	{"Gurdwara Sahib Calderbridge", "Hanson Lane", "Westfield", "HX4 3GS"},
	{"St Joseph's Parish Centre", "Queens Road", "Eastwood", "HX6 2SJ"},
	{"Calderbridge Polish Centre", "Dean Clough Road", "Northgate", "HX2 5PC"},
}

var demoServiceCategories = map[string]serviceCategoryInfo{
	"befriending": {
		access: []int{1, 6, 3}, costs: []string{"Free"}, eligibility: []string{"Adults 18+ who feel lonely or isolated", "Over 60s living alone", "Anyone aged 18+"},
		schedules: []string{"Weekly visit or phone call, arranged with your volunteer", "Telephone befriending, Monday to Friday 10:00–16:00", "Thursdays 14:00–16:00"},
		templates: []serviceTemplate{
			{"{A} Befriending Service", "Age UK Calderbridge", "A trained volunteer visits or phones every week for a chat and a cup of tea, and helps you get back out into the community at your own pace.", nil},
			{"Good Neighbours {A}", "Good Neighbours {A}", "Local volunteers who call in on neighbours, help with small jobs and offer friendly company.", []string{"transport"}},
			{"Chatty Café at {V}", "The Chatty Café Scheme", "A 'chatter and natter' table where anyone can sit and talk with others. Volunteers host each session.", nil},
			{"Silver Line Friends – {A}", "{A} Volunteer Centre", "Regular friendship calls for older people, with a monthly get-together.", nil},
			{"Men's Shed {A}", "{A} Men's Shed", "A workshop where men (and women) come together to make, mend and chat. Tools and materials provided.", []string{"mental wellbeing"}},
		},
	},
	"arts": {
		access: []int{5, 4, 1}, costs: []string{"Free", "£2 a session (first session free)", "£3 a session, materials included"}, eligibility: []string{"Adults 18+", "Anyone", "Adults with low mood or anxiety"},
		schedules: []string{"Wednesdays 10:00–12:00", "Mondays 13:30–15:30", "Fridays 10:30–12:30", "Tuesdays 18:00–20:00"},
		templates: []serviceTemplate{
			{"Arts on Prescription at {V}", "Calderbridge Arts Partnership", "A ten-week course of painting, printing and collage in a relaxed group, for people whose mental health is affecting their everyday life.", []string{"mental wellbeing"}},
			{"{A} Craft and Natter", "{A} Community Association", "Knitting, crochet, sewing and card making with plenty of tea. Bring a project or learn a new one.", []string{"befriending"}},
			{"Creative Writing Group – {V}", "Calderbridge Libraries", "Write stories, poems and memories together with a friendly tutor. No experience needed.", nil},
			{"Open Studio at {V}", "The Old Mill Arts Centre", "Drop-in studio time with an artist on hand to help you try drawing, clay and textiles.", nil},
			{"{A} Photography Walks", "Calderbridge Camera Club", "Learn to take better photos with a phone or camera on gentle walks around the area.", []string{"walking"}},
		},
	},
	"gardening": {
		access: []int{4, 5, 1}, costs: []string{"Free", "Free; donations welcome"}, eligibility: []string{"Adults 18+", "Anyone", "Adults with long-term health conditions"},
		schedules: []string{"Tuesdays and Thursdays 10:00–13:00", "Saturdays 10:00–12:00", "Wednesdays 09:30–12:30"},
		templates: []serviceTemplate{
			{"{A} Community Garden", "Calderbridge Green Spaces Trust", "Grow fruit, vegetables and flowers alongside others. Tools, gloves and tea provided; raised beds for those who cannot kneel.", []string{"mental wellbeing"}},
			{"Therapeutic Allotment at {V}", "Grow Well Calderbridge", "Supported horticulture sessions led by a qualified therapeutic gardener.", []string{"mental wellbeing"}},
			{"{A} In Bloom Volunteers", "{A} In Bloom", "Help keep the neighbourhood's planters, verges and park beds looking their best.", nil},
			{"Green Gym {A}", "The Conservation Volunteers", "Outdoor conservation work – hedge laying, path building, tree planting – that gets you fit and out in the fresh air.", []string{"exercise"}},
			{"Seed Swap and Grow Club at {V}", "Calderbridge Libraries", "Monthly club to share seeds, cuttings and growing tips, including growing on a windowsill or balcony.", nil},
		},
	},
	"walking": {
		access: []int{8, 2, 0}, costs: []string{"Free"}, eligibility: []string{"Anyone who can walk for 20 minutes", "Adults 18+", "Anyone"},
		schedules: []string{"Mondays 10:30 from {V}, about an hour", "Wednesdays 13:30–14:30", "Saturdays 10:00, 2–3 miles", "Fridays 11:00–12:00"},
		templates: []serviceTemplate{
			{"{A} Health Walk", "Walking for Health Calderbridge", "Short, sociable walks on the flat led by trained volunteers, finishing with a cuppa. Go at your own pace.", []string{"exercise"}},
			{"{A} Strollers", "Calderbridge Ramblers", "Longer countryside walks of 3 to 6 miles for those ready for more.", []string{"exercise"}},
			{"Buggy Walk {A}", "{A} Family Centre", "A gentle walk for parents and carers with pushchairs, ending at the family centre for a drink.", nil},
			{"Canal Towpath Walkers – {A}", "Canal & River Trust volunteers", "Walk the towpath, learn about the canal's history and meet new people.", nil},
			{"Walk and Talk {A}", "Calderbridge Mind", "A peer-led walking group where you can talk about how you are feeling – or simply walk.", []string{"mental wellbeing"}},
		},
	},
	"exercise": {
		access: []int{5, 4, 1}, costs: []string{"£3 a class", "£2.50 a session", "Free for the first 12 weeks", "Free"}, eligibility: []string{"Adults 18+", "Over 50s", "Adults with long-term conditions, referred by a health professional"},
		schedules: []string{"Mondays and Thursdays 11:00–12:00", "Tuesdays 10:00–11:00", "Wednesdays 14:00–15:00", "Fridays 09:30–10:30"},
		templates: []serviceTemplate{
			{"Chair-based Exercise at {V}", "Active Calderbridge", "Seated exercise to music that builds strength and balance. Suitable for people with limited mobility.", nil},
			{"{A} Exercise on Referral", "Riverside Leisure Centre", "A 12-week supported gym and swim programme with an instructor, for people with a health condition.", nil},
			{"Strength and Balance – {A}", "Active Calderbridge", "A falls-prevention class for older people led by a postural stability instructor.", nil},
			{"Walking Football {A}", "{A} Community Sports Club", "Football at walking pace: no running, no tackling, plenty of laughs.", []string{"befriending"}},
			{"Gentle Yoga at {V}", "Calderbridge Yoga Collective", "Slow, gentle yoga with chair options. Mats provided.", []string{"mental wellbeing"}},
		},
	},
	"choirs": {
		access: []int{7, 3, 0}, costs: []string{"Free", "£2 a session", "Donations welcome"}, eligibility: []string{"Anyone who likes to sing", "Adults 18+", "People living with lung conditions"},
		schedules: []string{"Tuesdays 19:00–20:30", "Thursdays 13:30–15:00", "Mondays 14:00–15:30"},
		templates: []serviceTemplate{
			{"{A} Community Choir", "{A} Community Choir", "A friendly choir that sings pop, folk and gospel. No auditions and no need to read music.", []string{"befriending"}},
			{"Singing for Lung Health – {A}", "Asthma + Lung UK volunteers", "Singing exercises and songs that help breathing, for people with COPD and other lung conditions.", []string{"exercise"}},
			{"Rock Choir {A}", "Calderbridge Rock Choir", "Sing along to classic rock and pop in a big, welcoming group.", nil},
			{"Sing Out {A}", "Calderbridge Mind", "A relaxed singing group for wellbeing; come and listen before you join in.", []string{"mental wellbeing"}},
			{"Ukulele Club at {V}", "Calderbridge Libraries", "Learn ukulele from scratch; instruments available to borrow.", []string{"arts"}},
		},
	},
	"dementia": {
		access: []int{3, 5, 2}, costs: []string{"Free", "£2 a session including refreshments"}, eligibility: []string{"People living with dementia and their carers", "Carers of people with memory problems"},
		schedules: []string{"Second Tuesday of the month 14:00–16:00", "Wednesdays 10:30–12:00", "First Friday of the month 10:00–12:00"},
		templates: []serviceTemplate{
			{"Singing for the Brain – {A}", "Alzheimer's Society Calderbridge", "Singing sessions for people with dementia and their carers, bringing people together in a fun and friendly way.", []string{"choirs", "carers"}},
			{"{A} Memory Café", "Dementia Friendly Calderbridge", "An informal café where people with memory problems and their families meet, get advice and enjoy activities.", []string{"befriending", "carers"}},
			{"Dementia Support Adviser – {A}", "Alzheimer's Society Calderbridge", "One-to-one advice and support after a diagnosis of dementia, by phone or at home.", nil},
			{"Reminiscence Group at {V}", "Calderbridge Museums", "Memory boxes, old photographs and objects from the town's past to spark conversation.", nil},
			{"Dementia-friendly Swim – {A}", "Riverside Leisure Centre", "A quiet swimming session with extra staff and a warm changing area.", []string{"exercise"}},
		},
	},
	"debt and benefits advice": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Residents of Calderbridge", "Anyone", "Adults 18+"},
		schedules: []string{"Monday to Friday 09:30–16:30, by appointment", "Drop-in Tuesdays 10:00–13:00 at {V}", "Phone line Monday to Friday 09:00–17:00"},
		templates: []serviceTemplate{
			{"Citizens Advice – {A} Outreach", "Citizens Advice Calderbridge", "Free, confidential advice on benefits, debt, housing, employment and consumer problems.", []string{"housing", "employment"}},
			{"{A} Money Advice", "Calderbridge Council Welfare Rights", "Help to check your benefit entitlement, complete forms and challenge decisions, including Attendance Allowance and PIP.", nil},
			{"Debt Help Clinic at {V}", "Christians Against Poverty Calderbridge", "Free debt counselling: a coach helps you make a budget and deal with creditors.", []string{"faith and culture"}},
			{"Macmillan Benefits Advice – {A}", "Macmillan Cancer Support", "Benefits advice for people affected by cancer and their families.", nil},
			{"Energy and Warm Home Advice {A}", "Calderbridge Warm Homes", "Advice on energy bills, grants, draught-proofing and the Warm Home Discount.", []string{"housing"}},
		},
	},
	"foodbank": {
		access: []int{2, 2, 6}, costs: []string{"Free"}, eligibility: []string{"People in crisis, with a food voucher from a referral agency", "Residents of Calderbridge on a low income", "Anyone"},
		schedules: []string{"Tuesdays and Fridays 11:00–13:00", "Mondays 12:00–14:00", "Saturdays 10:00–12:00"},
		templates: []serviceTemplate{
			{"{A} Foodbank", "Calderbridge Foodbank (Trussell)", "Three days' emergency food with a voucher, plus signposting to advice on the day.", nil},
			{"{A} Community Pantry", "{A} Community Association", "Members pay £4 a week for groceries worth much more, including fresh fruit and vegetables.", nil},
			{"Community Fridge at {V}", "Hubbub Community Fridge Network", "Surplus food from local shops, free to anyone. Just turn up.", nil},
			{"{A} Hot Meal Night", "Calderbridge Churches Together", "A free hot two-course meal and company every week. No questions asked.", []string{"lunch clubs", "faith and culture"}},
			{"Baby Bank {A}", "{A} Family Centre", "Nappies, clothes, cots and pushchairs for families in need.", []string{"youth"}},
		},
	},
	"housing": {
		access: []int{1, 6, 3}, costs: []string{"Free"}, eligibility: []string{"Calderbridge residents", "Tenants of Calder Valley Homes", "Anyone at risk of losing their home"},
		schedules: []string{"Monday to Friday 09:00–17:00", "Thursdays 10:00–12:00 at {V}", "By appointment"},
		templates: []serviceTemplate{
			{"{A} Housing Options", "Calderbridge Council Housing Options", "Advice if you are homeless or at risk of losing your home, and help to apply for social housing.", nil},
			{"Tenancy Support – {A}", "Calder Valley Homes", "A support worker helps you manage your tenancy, bills and repairs.", []string{"debt and benefits advice"}},
			{"Shelter Advice Clinic at {V}", "Shelter North", "Free expert advice on renting, repairs, eviction and disrepair.", nil},
			{"Safe at Home Repairs – {A}", "Care & Repair Calderbridge", "Small repairs and adaptations – grab rails, key safes, stair rails – for older and disabled people.", nil},
			{"Warm and Well {A}", "Calderbridge Warm Homes", "Home visits to help older people keep warm: heating checks, grants and energy tariffs.", []string{"debt and benefits advice"}},
		},
	},
	"employment": {
		access: []int{2, 6, 2}, costs: []string{"Free"}, eligibility: []string{"Adults 18+ out of work", "People with health conditions who want to work", "Anyone looking for work or training"},
		schedules: []string{"Wednesdays 10:00–13:00", "Monday to Friday, by appointment", "Tuesdays 13:00–16:00 at {V}"},
		templates: []serviceTemplate{
			{"{A} Job Club", "Calderbridge Works", "Help with CVs, applications and interviews, with computers and a friendly adviser.", []string{"digital skills"}},
			{"Working Well – {A}", "Calderbridge Works", "One-to-one employment support for people whose health makes work hard to find or keep.", []string{"mental wellbeing"}},
			{"Volunteer Centre Drop-in – {A}", "Calderbridge Volunteer Centre", "Find a volunteering role that suits you: a step towards work, confidence and new friends.", []string{"befriending"}},
			{"Adult Learning Taster Courses at {V}", "Calderbridge Adult Learning", "Free short courses in English, maths, computers and more.", []string{"digital skills"}},
			{"Individual Placement and Support {A}", "Calderbridge Talking Therapies", "Employment specialists for people using mental health services.", nil},
		},
	},
	"carers": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Unpaid carers of any age", "Adults caring for a family member or friend", "Young carers aged 8–18"},
		schedules: []string{"Monday to Friday 09:00–17:00", "Monthly carers' café, last Thursday 13:30–15:30", "Wednesdays 18:00–19:30"},
		templates: []serviceTemplate{
			{"{A} Carers' Café", "Calderbridge Carers' Centre", "Meet other carers, get information and have a break. Replacement care can be arranged.", []string{"befriending"}},
			{"Carers' Assessment and Advice – {A}", "Calderbridge Carers' Centre", "Advice on carer's allowance, breaks, emergency plans and a carer's assessment.", []string{"debt and benefits advice"}},
			{"Young Carers Club {A}", "Calderbridge Young Carers", "Activities, trips and a chance to be a young person first.", []string{"youth"}},
			{"Carers' Relaxation Group at {V}", "Calderbridge Carers' Centre", "Massage, mindfulness and a proper cup of tea for people who look after someone.", []string{"mental wellbeing"}},
			{"Parent Carers Forum {A}", "Calderbridge Parent Carers", "Support for parents of children with special educational needs and disabilities.", nil},
		},
	},
	"bereavement": {
		access: []int{2, 7, 1}, costs: []string{"Free"}, eligibility: []string{"Adults who have been bereaved", "Anyone bereaved by suicide", "Children and young people who have lost someone"},
		schedules: []string{"Second and fourth Tuesday 14:00–16:00", "By appointment", "Thursdays 18:30–20:00"},
		templates: []serviceTemplate{
			{"Cruse Bereavement Support – {A}", "Cruse Bereavement Support", "One-to-one support from a trained volunteer after the death of someone close.", []string{"mental wellbeing"}},
			{"{A} Bereavement Café", "St Mary's Hospice", "An informal café for anyone who has lost someone, however long ago.", []string{"befriending"}},
			{"Walking Through Grief – {A}", "St Mary's Hospice", "A gentle walk and talk group for bereaved people.", []string{"walking"}},
			{"Widowed and Young – {A} Meet-up", "WAY Widowed and Young", "Peer support for people widowed aged 50 or under.", nil},
			{"Suicide Bereavement Support at {V}", "Calderbridge Mind", "A group for people bereaved by suicide, run by people who understand.", nil},
		},
	},
	"veterans": {
		access: []int{3, 6, 1}, costs: []string{"Free"}, eligibility: []string{"Veterans of the armed forces and their families", "Anyone who has served, and their carers"},
		schedules: []string{"Fridays 10:00–12:00", "First Monday of the month 19:00–21:00", "By appointment"},
		templates: []serviceTemplate{
			{"{A} Veterans' Breakfast Club", "Calderbridge Armed Forces Network", "A cooked breakfast and a catch-up with other veterans.", []string{"befriending"}},
			{"Royal British Legion – {A} Branch", "The Royal British Legion", "Welfare advice, grants and friendship for the armed forces community.", []string{"debt and benefits advice"}},
			{"Op COURAGE Drop-in at {V}", "NHS Op COURAGE", "Mental health support for veterans, from people who know military life.", []string{"mental wellbeing"}},
			{"Veterans' Walking Group {A}", "Calderbridge Armed Forces Network", "A monthly walk for veterans and families.", []string{"walking"}},
			{"SSAFA Caseworker – {A}", "SSAFA, the Armed Forces charity", "Home visits from a caseworker who helps with practical and financial needs.", nil},
		},
	},
	"mental wellbeing": {
		access: []int{2, 6, 2}, costs: []string{"Free"}, eligibility: []string{"Adults 18+", "Adults with mild to moderate anxiety or low mood", "Anyone"},
		schedules: []string{"Wednesdays 18:00–19:30", "Mondays 10:00–12:00", "Six-week course, Tuesdays 13:00–15:00", "Monday to Friday 09:00–20:00 by phone"},
		templates: []serviceTemplate{
			{"Calderbridge Talking Therapies – {A}", "NHS Calderbridge Talking Therapies", "Free NHS talking therapy for anxiety, depression and stress. Refer yourself online or by phone.", nil},
			{"{A} Wellbeing Café", "Calderbridge Mind", "A safe space to talk, with peer supporters and information on local help.", []string{"befriending"}},
			{"Stress Control Course at {V}", "NHS Calderbridge Talking Therapies", "A six-week class teaching practical skills to manage stress. You do not have to talk about yourself.", nil},
			{"Mindfulness for Beginners – {A}", "Calderbridge Adult Learning", "A short course in mindfulness and relaxation.", nil},
			{"Andy's Man Club {A}", "Andy's Man Club", "A peer-to-peer talking group for men aged 18+. #ITSOKAYTOTALK", []string{"befriending"}},
		},
	},
	"lunch clubs": {
		access: []int{4, 5, 1}, costs: []string{"£4.50 for a two-course lunch", "£3.50 including tea and cake", "£5, transport available"}, eligibility: []string{"Over 60s", "Older people and disabled adults", "Anyone"},
		schedules: []string{"Wednesdays 12:00–14:00", "Tuesdays and Fridays 12:00–13:30", "Thursdays 11:30–14:00"},
		templates: []serviceTemplate{
			{"{A} Lunch Club", "Age UK Calderbridge", "A freshly cooked two-course lunch with company, a quiz and bingo.", []string{"befriending"}},
			{"Friendship Lunch at {V}", "{A} Good Neighbours", "A warm meal and good company; door-to-door transport for those who need it.", []string{"befriending", "transport"}},
			{"{A} Curry Club", "Calderbridge Asian Elders", "A South Asian lunch club for elders with activities and advice in community languages.", []string{"faith and culture"}},
			{"Men's Lunch {A}", "{A} Men's Shed", "A monthly lunch for older men.", []string{"befriending"}},
			{"Pensioners' Dinner at {V}", "Calderbridge Churches Together", "A traditional Sunday-style dinner on a weekday.", []string{"faith and culture"}},
		},
	},
	"transport": {
		access: []int{0, 8, 2}, costs: []string{"Annual membership £10, then a small fare", "Free", "Mileage-based fare"}, eligibility: []string{"People who cannot use ordinary buses", "Older and disabled residents", "Anyone without transport to health appointments"},
		schedules: []string{"Monday to Friday 08:30–17:00, book 48 hours ahead", "Monday to Saturday, book by phone", "By arrangement"},
		templates: []serviceTemplate{
			{"{A} Dial-a-Ride", "Calderbridge Community Transport", "Door-to-door minibus for shopping, appointments and social activities.", nil},
			{"Volunteer Car Scheme – {A}", "{A} Volunteer Centre", "Volunteer drivers take you to medical appointments and clubs.", []string{"befriending"}},
			{"Shopper Bus {A}", "Calderbridge Community Transport", "A weekly bus to the supermarket with help to carry shopping.", nil},
			{"Wheels to Work {A}", "Calderbridge Works", "Moped or e-bike loans to get to work or training.", []string{"employment"}},
			{"Community Bike Library at {V}", "Calderbridge Cycling Hub", "Borrow a bike, adapted trike or e-bike and learn to ride with confidence.", []string{"exercise"}},
		},
	},
	"digital skills": {
		access: []int{6, 4, 0}, costs: []string{"Free", "Free; devices available to borrow"}, eligibility: []string{"Anyone", "Adults 18+", "Older people new to computers"},
		schedules: []string{"Thursdays 10:00–12:00", "Mondays 14:00–16:00", "Saturdays 10:00–12:00"},
		templates: []serviceTemplate{
			{"Digital Drop-in at {V}", "Calderbridge Libraries", "Help with phones, tablets and computers: e-mail, video calls, online forms and the NHS App.", nil},
			{"{A} Silver Surfers", "Age UK Calderbridge", "Patient one-to-one help for older people getting online.", []string{"befriending"}},
			{"Device Bank – {A}", "Calderbridge Digital Inclusion", "Free refurbished laptops, tablets and data SIMs for people who cannot afford them.", nil},
			{"Get Online for Work – {A}", "Calderbridge Adult Learning", "Learn to search and apply for jobs online and use Universal Credit.", []string{"employment"}},
			{"Tech Tea Party at {V}", "{A} Community Association", "Tea, cake and help from young volunteers with your gadgets.", []string{"youth"}},
		},
	},
	"faith and culture": {
		access: []int{8, 2, 0}, costs: []string{"Free", "Donations welcome"}, eligibility: []string{"Anyone, of any faith or none", "Women only", "Polish-speaking community"},
		schedules: []string{"Sundays 14:00–16:00", "Wednesdays 10:00–12:00", "Saturdays 11:00–13:00"},
		templates: []serviceTemplate{
			{"{A} Women's Circle at {V}", "Calderbridge Women's Centre", "A welcoming group for women from all backgrounds: crafts, English practice and friendship.", []string{"befriending"}},
			{"Polish Community Club – {A}", "Calderbridge Polish Centre", "Coffee, advice and activities in Polish for families and older people.", []string{"befriending"}},
			{"Ukrainian Welcome Hub {A}", "Calderbridge Ukrainian Community", "Support, English classes and social events for people from Ukraine.", []string{"befriending"}},
			{"Langar and Chat at {V}", "Gurdwara Sahib Calderbridge", "A free community meal open to everyone, with company afterwards.", []string{"lunch clubs"}},
			{"Caribbean Elders' Social – {A}", "Calderbridge African Caribbean Association", "Dominoes, music and a Caribbean lunch for elders.", []string{"lunch clubs"}},
		},
	},
	"youth": {
		access: []int{6, 4, 0}, costs: []string{"Free", "50p a session"}, eligibility: []string{"Young people aged 11–18", "Young people aged 16–25", "Young people aged 11–25"},
		schedules: []string{"Tuesdays and Thursdays 18:00–20:00", "Fridays 17:00–19:00", "Saturdays 13:00–16:00"},
		templates: []serviceTemplate{
			{"{A} Youth Club", "Calderbridge Youth Service", "Games, sport, cooking and trips with youth workers in a safe space.", nil},
			{"Kooth Online Support – {A}", "Kooth", "Free, safe and anonymous online mental health support for young people.", []string{"mental wellbeing"}},
			{"Young Minds Matter at {V}", "Calderbridge Mind", "A peer support group for young people with anxiety or low mood.", []string{"mental wellbeing"}},
			{"{A} Youth Football", "{A} Community Sports Club", "Free football sessions for all abilities.", []string{"exercise"}},
			{"Youth Employment Hub – {A}", "Calderbridge Works", "Careers advice, training and apprenticeships for 16–25 year olds.", []string{"employment"}},
		},
	},
}

var demoAccessibility = []string{
	"Step-free access; accessible toilet; hearing loop",
	"Ground floor; accessible toilet; parking nearby",
	"Step-free access; large print materials on request",
	"First floor with lift; accessible toilet",
	"Outdoors on uneven ground; some sessions not suitable for wheelchairs",
	"Phone and video options for people who cannot get there",
	"Assistance dogs welcome; quiet room available",
	"",
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range foldKey(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func (g *demoGen) directory() error {
	g.byCategory = map[string][]int{}
	total := 0
	for _, c := range ServiceCategories {
		total += 2 * len(demoServiceCategories[c].templates)
	}
	seen := map[string]bool{}
	var id int64
	for _, cat := range ServiceCategories {
		info := demoServiceCategories[cat]
		for round := 0; round < 2; round++ {
			for _, t := range info.templates {
				// Each template twice, in different areas and venues.
				var area string
				var venue = demoVenues[g.r.IntN(len(demoVenues))]
				name := ""
				for tries := 0; tries < 20; tries++ {
					area = g.one(demoAreas)
					var local []int
					for vi, v := range demoVenues {
						if v.area == area {
							local = append(local, vi)
						}
					}
					if len(local) > 0 && g.chance(0.7) {
						venue = demoVenues[local[g.r.IntN(len(local))]]
					} else {
						venue = demoVenues[g.r.IntN(len(demoVenues))]
					}
					name = strings.NewReplacer("{A}", area, "{V}", venue.name).Replace(t.name)
					if !seen[name] {
						break
					}
				}
				if seen[name] {
					name += " (" + venue.area + ")"
				}
				seen[name] = true
				id++
				rep := strings.NewReplacer("{A}", area, "{V}", venue.name)
				org := rep.Replace(t.org)
				cats := append([]string{cat}, t.extra...)
				access := []string{accessDropIn, accessSelfRefer, accessReferral}[g.pick(info.access...)]
				cost := g.one(info.costs)
				free := strings.HasPrefix(cost, "Free") || strings.HasPrefix(cost, "Donations")
				status := []string{"active", "paused", "closed"}[g.pick(92, 5, 3)]
				var verified int
				if g.chance(0.7) {
					verified = g.days - g.r.IntN(365)
				} else {
					verified = g.days - 365 - g.r.IntN(365)
				}
				verifiedBy := g.workers[g.r.IntN(len(g.workers))]
				if g.chance(0.2) {
					verifiedBy = g.manager
				}
				createdAt := g.setupAt
				if verified > 0 && g.chance(0.3) {
					createdAt = g.at(verified, 9*60+g.r.IntN(8*60))
				}
				updatedAt := g.at(verified, 9*60+g.r.IntN(8*60))
				if updatedAt.Before(createdAt) {
					updatedAt = createdAt
				}
				if updatedAt.After(g.now) {
					updatedAt = g.now
				}
				desc := rep.Replace(t.desc)
				if status == "paused" {
					desc += " Paused for now; check before referring."
				}
				domain := slug(org) + ".example.org"
				address := fmt.Sprintf("%s, %d %s, %s, %s", venue.name, 1+g.r.IntN(80), venue.street, venue.area, demoTown)
				phone := fmt.Sprintf("01632 960%03d", 400+g.r.IntN(600))
				svc := demoService{id: id, active: status == "active"}
				schedule := rep.Replace(g.one(info.schedules))
				if err := g.exec("service", id, name, org, strings.Join(cats, ";"), desc, address, venue.postcode, phone,
					"info@"+domain, "https://"+domain+"/"+slug(name), schedule, cost, free, access,
					g.one(info.eligibility), g.one(demoAccessibility), status, g.date(verified), verifiedBy,
					ts(createdAt), g.admin, ts(updatedAt), verifiedBy); err != nil {
					return err
				}
				g.services = append(g.services, svc)
				if svc.active {
					for _, c := range cats {
						g.byCategory[c] = append(g.byCategory[c], len(g.services)-1)
					}
				}
			}
		}
		g.progress("services", int(id), total)
	}
	return nil
}
