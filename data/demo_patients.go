package data

// The demo's patient register: names with the variety of a real English
// town, addresses, contact details and communication needs.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

func names(s string) []string { return strings.Split(s, "|") }

type nameGroup struct {
	weight             int
	female, male       []string
	femaleOld, maleOld []string // for people born before 1960, when set
	family             []string
	familyFemale       []string // feminine surname forms, parallel to family (Polish), when set
	ethnic             []string // ethnic category codes to choose from
	languages          []string // interpreter languages, when one is needed
	interpreterYoung   float64
	interpreterOld     float64 // for people born before 1965
}

var demoNameGroups = []nameGroup{
	{ // English
		weight:    700,
		female:    names("Olivia|Amelia|Isla|Ava|Mia|Ivy|Lily|Isabella|Sophia|Grace|Emily|Poppy|Ella|Freya|Charlotte|Evie|Jessica|Sophie|Chloe|Lucy|Hannah|Rebecca|Sarah|Emma|Laura|Rachel|Claire|Joanne|Nicola|Michelle|Lisa|Kelly|Gemma|Amy|Hayley|Stacey|Zoë|Chloë|Renée|Naomi|Abigail|Katie|Danielle|Leanne|Jade|Megan|Holly|Ellie|Bethany|Louise"),
		femaleOld: names("Margaret|Patricia|Elizabeth|Jean|Joan|Dorothy|Barbara|Sheila|Pauline|Christine|Janet|Carol|Gillian|Wendy|Angela|Susan|Linda|Helen|Karen|Julie|Mavis|Doreen|Irene|Brenda|Valerie|Ruth|Alice|Florence|Edith|Beryl|Marjorie|Sylvia|Maureen|Elaine|Kathleen|Hilda|Audrey|Shirley|June|Ann"),
		male:      names("Oliver|George|Harry|Noah|Jack|Leo|Arthur|Oscar|Charlie|Thomas|James|William|Jacob|Alfie|Joshua|Daniel|Matthew|Ryan|Liam|Luke|Adam|Benjamin|Samuel|Joseph|Christopher|Andrew|Mark|Paul|Jamie|Nathan|Callum|Kieran|Reece|Ethan|Dylan|Lewis|Scott|Craig|Dean|Lee|Darren|Wayne|Gary|Jason|Stuart|Simon|Carl|Neil|Shaun|Martin"),
		maleOld:   names("John|David|Michael|Peter|Robert|Ian|Kevin|Anthony|Keith|Brian|Kenneth|Derek|Roy|Norman|Frank|Alan|Colin|Graham|Trevor|Barry|Terence|Stanley|Albert|Ernest|Harold|Leslie|Geoffrey|Dennis|Malcolm|Raymond|Gordon|Bernard|Clifford|Donald|Eric|Ronald|Walter|Arthur|Stephen|Richard"),
		family:    names("Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Robinson|Wright|Thompson|Evans|Walker|White|Roberts|Green|Hall|Wood|Jackson|Clarke|Harris|Lewis|Turner|Hill|Cooper|Ward|Morris|Moore|Clark|Lee|King|Baker|Harrison|Morgan|Allen|James|Scott|Phillips|Watson|Davis|Parker|Price|Bennett|Young|Griffiths|Mitchell|Cook|Carter|Richardson|Bailey|Collins|Bell|Shaw|Miller|Cox|Richards|Marshall|Anderson|Simpson|Ellis|Adams|Wilkinson|Foster|Chapman|Powell|Webb|Rogers|Gray|Mason|Hunt|Holmes|Palmer|Barker|Mills|Lloyd|Butler|Dixon|Knight|Fletcher|Sutcliffe|Ackroyd|Haigh|Holroyd|Greenwood|Crossley|Barraclough|Pickles|Hirst|Marsden|Lumb|Brook|Firth|Booth|Bottomley|Hanson|Hartley|Redman|Ramsbottom|Thwaite|Earnshaw|Ibbotson|Whiteley|Dyson|Lockwood|Crowther|Ainsworth|Wormald|Oldroyd|Armitage|Stansfield|Clegg|Noble|Atkinson|Nicholson|Spencer|Holt|Hughes|Edwards|Stevens|Hudson|Hart|Pearson|Fox|Gibson|Lawrence|Hope|Rhodes|Summers|Batty|Mellor|Slater|Platt|Horsfall|Lister|Sugden|Priestley|Tordoff|Pollard|Crabtree|Horner|Illingworth|Bairstow|Rushworth|Fielding|Kershaw|Binns|Midgley|Feather|Moorhouse"),
		ethnic:    names("A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|A|F|D|G|Z|"),
	},
	{ // Welsh
		weight: 30,
		female: names("Siân|Gwenllian|Cerys|Ffion|Bethan|Rhiannon|Angharad|Nia|Eleri|Catrin|Megan|Seren|Lowri|Elin|Mererid|Heledd"),
		male:   names("Rhys|Dafydd|Gareth|Owain|Gethin|Iwan|Emyr|Huw|Llŷr|Aled|Geraint|Dylan|Ieuan|Cai|Tomos|Gruffudd"),
		family: names("ap Rhys|Llewellyn|Jones|Williams|Davies|Evans|Thomas|Roberts|Hughes|Lewis|Morgan|Griffiths|Pritchard|Prosser|Vaughan|ap Gwilym|Bowen|Howells|Parry|Pugh|Rees|Jenkins|Llwyd|Meredith"),
		ethnic: names("A"),
	},
	{ // Scottish
		weight: 30,
		female: names("Eilidh|Ailsa|Mhairi|Catriona|Iona|Morag|Isla|Kirsty|Fiona|Shona|Kirsteen|Rhona|Morven|Ishbel"),
		male:   names("Iain|Hamish|Callum|Ruaridh|Angus|Alasdair|Fraser|Euan|Lachlan|Calum|Murdo|Gregor|Ewan|Torquil"),
		family: names("MacLeod|MacDonald|Campbell|Stewart|McKenzie|Fraser|Robertson|Murray|MacKay|Sinclair|Ross|Cameron|Grant|Munro|Mackintosh|MacLean|Buchanan|Drummond|Ferguson|Gunn|McIntyre|Urquhart"),
		ethnic: names("A"),
	},
	{ // Irish
		weight: 35,
		female: names("Niamh|Siobhán|Aoife|Saoirse|Caoimhe|Róisín|Orla|Máire|Bríd|Sinéad|Gráinne|Clodagh|Aisling|Deirdre|Bridget|Mary"),
		male:   names("Pádraig|Seán|Ciarán|Cian|Oisín|Eoin|Dónal|Colm|Liam|Conor|Declan|Séamus|Tadhg|Fergal|Patrick|Brendan"),
		family: names("Ó Súilleabháin|Ó Briain|Ó Conchúir|Mac Cárthaigh|Ó Ceallaigh|Murphy|Kelly|O'Sullivan|Walsh|O'Brien|Byrne|Ryan|O'Connor|O'Neill|Doyle|McCarthy|Gallagher|Doherty|Kennedy|Lynch|Quinn|Brennan|Fitzgerald|Flanagan"),
		ethnic: names("B|B|B|B|A"),
	},
	{ // Polish
		weight:       45,
		female:       names("Małgorzata|Żaneta|Agnieszka|Katarzyna|Anna|Magdalena|Joanna|Ewa|Monika|Zuzanna|Dorota|Beata|Justyna|Aleksandra|Paulina|Iwona|Grażyna|Jadwiga"),
		male:         names("Łukasz|Piotr|Krzysztof|Tomasz|Paweł|Michał|Marcin|Grzegorz|Jakub|Mateusz|Wojciech|Andrzej|Kamil|Bartłomiej|Sławomir|Rafał|Zbigniew|Jerzy"),
		family:       names("Wiśniewski|Kowalski|Nowak|Wójcik|Kamiński|Lewandowski|Zieliński|Szymański|Woźniak|Dąbrowski|Kozłowski|Jankowski|Mazur|Krawczyk|Piotrowski|Grabowski|Pawłowski|Michalski|Król|Wróbel|Łukasik|Żak"),
		familyFemale: names("Wiśniewska|Kowalska|Nowak|Wójcik|Kamińska|Lewandowska|Zielińska|Szymańska|Woźniak|Dąbrowska|Kozłowska|Jankowska|Mazur|Krawczyk|Piotrowska|Grabowska|Pawłowska|Michalska|Król|Wróbel|Łukasik|Żak"),
		ethnic:       names("C"),
		languages:    names("Polish"), interpreterYoung: 0.06, interpreterOld: 0.35,
	},
	{ // Ukrainian, in Cyrillic
		weight:    15,
		female:    names("Олена|Оксана|Наталія|Юлія|Ірина|Світлана|Тетяна|Марія|Галина|Анастасія|Вікторія|Людмила"),
		male:      names("Андрій|Тарас|Дмитро|Богдан|Олександр|Сергій|Микола|Володимир|Іван|Петро|Василь|Юрій"),
		family:    names("Шевченко|Коваленко|Бондаренко|Ткаченко|Кравченко|Мельник|Бойко|Коваль|Олійник|Лисенко|Мороз|Петренко|Савченко|Руденко|Кравчук|Шевчук"),
		ethnic:    names("C"),
		languages: names("Ukrainian|Ukrainian|Russian"), interpreterYoung: 0.3, interpreterOld: 0.6,
	},
	{ // Indian (Gujarati and Hindu)
		weight:    30,
		female:    names("Priya|Anjali|Sunita|Kavita|Pooja|Neha|Asha|Meera|Divya|Hema|Nisha|Shreya|Bhavna|Hansa"),
		male:      names("Rajesh|Sanjay|Amit|Vijay|Arjun|Rohan|Anil|Deepak|Vikram|Ravi|Suresh|Kiran|Jayesh|Dinesh"),
		family:    names("Patel|Sharma|Mistry|Shah|Parmar|Chauhan|Solanki|Desai|Joshi|Mehta|Gupta|Kumar|Lad|Rana"),
		ethnic:    names("H"),
		languages: names("Gujarati|Hindi"), interpreterYoung: 0.01, interpreterOld: 0.15,
	},
	{ // Sikh
		weight:    15,
		female:    names("Gurpreet|Harpreet|Manjit|Jaspreet|Simran|Balvinder|Amarjit|Rajinder|Kulwant"),
		male:      names("Gurpreet|Harjit|Sukhwinder|Jaswinder|Balbir|Ranjit|Manpreet|Kuldip|Satnam"),
		family:    names("Singh|Sandhu|Gill|Dhillon|Sidhu|Bains|Johal|Virdi|Kaur|Atwal"),
		ethnic:    names("H"),
		languages: names("Punjabi"), interpreterYoung: 0.01, interpreterOld: 0.25,
	},
	{ // Pakistani
		weight:    40,
		female:    names("Ayesha|Fatima|Zainab|Maryam|Nadia|Saima|Shazia|Rubina|Amina|Sana|Hina|Noreen|Nasreen|Parveen"),
		male:      names("Mohammed|Muhammad|Imran|Tariq|Asif|Zubair|Bilal|Adnan|Usman|Hamza|Shahid|Nadeem|Zahid|Mohammed"),
		family:    names("Hussain|Khan|Ahmed|Ali|Iqbal|Akhtar|Mahmood|Shah|Rashid|Bashir|Aslam|Butt|Malik|Qureshi|Mirza|Hussain"),
		ethnic:    names("J"),
		languages: names("Urdu|Punjabi|Pahari"), interpreterYoung: 0.02, interpreterOld: 0.3,
	},
	{ // Bangladeshi
		weight:    10,
		female:    names("Nasima|Rehana|Shirin|Taslima|Sumaiya|Farhana|Rokeya|Jahanara"),
		male:      names("Abdul|Rahim|Kamal|Jamal|Shafiq|Mizanur|Anwar|Shahidul"),
		family:    names("Begum|Miah|Rahman|Uddin|Islam|Hoque|Chowdhury|Ahmed"),
		ethnic:    names("K"),
		languages: names("Bengali (Sylheti)|Bengali"), interpreterYoung: 0.03, interpreterOld: 0.45,
	},
	{ // Black African
		weight:    20,
		female:    names("Chidinma|Ngozi|Adaeze|Funmilayo|Abena|Amara|Blessing|Precious|Folake|Nneka"),
		male:      names("Chidi|Oluwaseun|Kwame|Emeka|Tunde|Kofi|Babajide|Samuel|Yaw|Obinna"),
		family:    names("Okafor|Adeyemi|Okonkwo|Mensah|Boateng|Adebayo|Oyelaran|Nwosu|Asante|Owusu|Eze|Ogunleye"),
		ethnic:    names("N|N|N|E"),
		languages: names("Tigrinya|Somali|Arabic"), interpreterYoung: 0.02, interpreterOld: 0.1,
	},
	{ // Caribbean
		weight: 15,
		female: names("Marcia|Beverley|Sonia|Jasmine|Kiara|Shanice|Hyacinth|Merline"),
		male:   names("Delroy|Winston|Marcus|Leon|Tyrone|Andre|Errol|Clive"),
		family: names("Campbell|Brown|Thomas|Williams|Francis|Clarke|Grant|Gordon|Reid|Forbes|McKenzie|Bailey"),
		ethnic: names("M|M|M|D"),
	},
	{ // Chinese
		weight:    10,
		female:    names("Mei|Li Na|Xiaoling|Jing|Wei Ling|Yan|Hui"),
		male:      names("Wei|Jian|Hao|Chen|Ming|Kwok Wai|Tao"),
		family:    names("Chen|Wang|Li|Zhang|Liu|Wong|Chan|Lam|Cheung|Ho"),
		ethnic:    names("R"),
		languages: names("Cantonese|Mandarin"), interpreterYoung: 0.05, interpreterOld: 0.4,
	},
	{ // Other European, accented
		weight:    15,
		female:    names("Renée|Zoë|Inês|Ana|Chloé|Ingrid|Aurélie|Ioana|Elena|Zsófia|Ilse|Mónica"),
		male:      names("José|Jérôme|João|Andrés|Nuno|Luís|Sören|Mihai|Ştefan|Jürgen|Tomáš|Gaëtan"),
		family:    names("García|Fernández|Rodrigues|da Silva|Pereira|Dubois|Lefèvre|Müller|Schröder|Popescu|Ionescu|Núñez|Novák|Søndergaard"),
		ethnic:    names("C|C|C|S"),
		languages: names("Portuguese|Romanian|Spanish"), interpreterYoung: 0.03, interpreterOld: 0.2,
	},
}

var demoStreetNames = names("Mill|Church|Station|Park|Victoria|Albert|Queens|Kings|Market|Bridge|Canal|Chapel|School|Moor|Heath|Wharf|Spring|Hollin|Cross|Manor|Orchard|Beech|Oak|Willow|Elm|Ash|Holly|Rowan|Cedar|Hawthorn|Weavers|Fullers|Dyers|Spinners|Crossley|Savile|Akroyd|Hebble|Shibden|Ovenden|Calder|Ryburn|Luddite|Brontë|Pennine|Heather|Bracken|Clough|Ing|Wood")

var demoStreetKinds = names("Street|Road|Lane|Avenue|Close|Grove|Terrace|Drive|Crescent|Court|Way|Gardens|Place|Rise|View|Fold|Mount|Row")

type demoStreet struct{ name, area, outward string }

var demoDistrictAreas = []struct{ outward, area string }{
	{"HX1", "Riverside"}, {"HX1", "Old Town"}, {"HX2", "Northgate"}, {"HX2", "Moor End"}, {"HX3", "Millbank"},
	{"HX3", "Canal Side"}, {"HX4", "Westfield"}, {"HX5", "Hill Top"}, {"HX6", "Eastwood"}, {"HX7", "St Mary's"},
}

const postcodeUnitLetters = "ABDEFGHJLNPQRSTUWXYZ"

// asciiLocal turns a name into the ASCII local part of an e-mail address.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie", 'ж': "zh", 'з': "z", 'и': "y",
	'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s",
	'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu", 'я': "ia",
}

func asciiLocal(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		default:
			if l, ok := cyrillicLatin[r]; ok {
				b.WriteString(l)
			}
		}
	}
	return b.String()
}

func (g *demoGen) register() error {
	n := g.opt.Patients
	g.patients = make([]demoPatient, n)
	stmt := g.st["patient"]

	// Streets, each in one postcode district and sector.
	var streets []demoStreet
	for i, base := range demoStreetNames {
		for k := 0; k < 3; k++ {
			kind := demoStreetKinds[(i*7+k*5+g.r.IntN(3))%len(demoStreetKinds)]
			da := demoDistrictAreas[g.r.IntN(len(demoDistrictAreas))]
			streets = append(streets, demoStreet{base + " " + kind, da.area, da.outward + " " + strconv.Itoa(1+g.r.IntN(9))})
		}
	}
	weights := make([]int, len(demoNameGroups))
	for i, ng := range demoNameGroups {
		weights[i] = ng.weight
	}
	// NHS numbers: a stride through the 999 test range visits each
	// nine-digit stem once, so numbers are unique without a set.
	const stems = 1_000_000
	stride := 1 + 2*g.r.IntN(stems/2)
	for stride%5 == 0 || stride%2 == 0 {
		stride = 1 + 2*g.r.IntN(stems/2)
	}
	stem := g.r.IntN(stems)
	nextNHS := func() string {
		for {
			stem = (stem + stride) % stems
			nine := fmt.Sprintf("999%06d", stem)
			if c := NHSCheckDigit(nine); c >= 0 {
				return nine + strconv.Itoa(c)
			}
		}
	}
	firstDOB := time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDOB := time.Date(2010, 12, 31, 0, 0, 0, 0, time.UTC)
	if todayUTC := time.Date(g.y, g.m, g.d+g.days, 0, 0, 0, 0, time.UTC); lastDOB.After(todayUTC) {
		lastDOB = todayUTC
	}
	// Year-of-birth bands weighted to adults.
	type band struct{ from, to, w int }
	bands := []band{{1925, 1934, 3}, {1935, 1944, 8}, {1945, 1954, 13}, {1955, 1964, 16}, {1965, 1974, 15}, {1975, 1984, 15}, {1985, 1994, 15}, {1995, 2004, 12}, {2005, 2010, 8}}
	bw := make([]int, len(bands))
	for i, b := range bands {
		bw[i] = b.w
	}
	setup := ts(g.setupAt)
	for i := 0; i < n; i++ {
		if i%5000 == 0 {
			g.progress("patients", i, n)
			if err := g.ctx.Err(); err != nil {
				return err
			}
		}
		ng := &demoNameGroups[g.pick(weights...)]
		b := bands[g.pick(bw...)]
		dob := time.Date(b.from+g.r.IntN(b.to-b.from+1), 1, 1+g.r.IntN(365), 0, 0, 0, 0, time.UTC)
		if dob.Before(firstDOB) {
			dob = firstDOB
		}
		if dob.After(lastDOB) {
			dob = lastDOB.AddDate(0, 0, -g.r.IntN(3000))
		}
		born := dob.Year()
		sex := []Sex{SexFemale, SexMale, SexOther, SexUnknown}[g.pick(510, 485, 2, 3)]
		female := sex == SexFemale || sex != SexMale && g.chance(0.5)
		var given string
		switch {
		case female && born < 1960 && ng.femaleOld != nil && g.chance(0.8):
			given = g.one(ng.femaleOld)
		case !female && born < 1960 && ng.maleOld != nil && g.chance(0.8):
			given = g.one(ng.maleOld)
		case female:
			given = g.one(ng.female)
		default:
			given = g.one(ng.male)
		}
		fi := g.r.IntN(len(ng.family))
		family := ng.family[fi]
		if female && ng.familyFemale != nil {
			family = ng.familyFemale[fi]
		}
		switch {
		case family == "Singh" && female:
			family = "Kaur"
		case family == "Kaur" && !female:
			family = "Singh"
		case family == "Begum" && !female:
			family = "Miah"
		}
		if ng.femaleOld != nil && g.chance(0.03) { // a double-barrelled English name
			family += "-" + g.one(ng.family)
		}
		ethnic := g.one(ng.ethnic)
		if g.chance(0.05) {
			ethnic = ""
		} else if g.chance(0.02) {
			ethnic = "Z"
		}
		st := streets[g.r.IntN(len(streets))]
		var address string
		if g.chance(0.15) {
			address = fmt.Sprintf("Flat %d, %s House, %d %s, %s, %s", 1+g.r.IntN(24), strings.Fields(st.name)[0], 1+g.r.IntN(120), st.name, st.area, demoTown)
		} else {
			address = fmt.Sprintf("%d %s, %s, %s", 1+g.r.IntN(180), st.name, st.area, demoTown)
		}
		postcode, err := NormalisePostcode(st.outward + string(postcodeUnitLetters[g.r.IntN(len(postcodeUnitLetters))]) + string(postcodeUnitLetters[g.r.IntN(len(postcodeUnitLetters))]))
		if err != nil {
			return err
		}
		age := g.day(g.days).Year() - born
		phone := ""
		switch {
		case g.chance(0.03):
		case age >= 75 && g.chance(0.55):
			phone = fmt.Sprintf("01632 960%03d", g.r.IntN(1000))
		default:
			phone = fmt.Sprintf("07700 900%03d", g.r.IntN(1000))
		}
		gk, fk := g.fold(given), g.fold(family)
		email := ""
		pEmail := 0.45
		if age >= 70 {
			pEmail = 0.12
		}
		if g.chance(pEmail) {
			local := asciiLocal(gk) + "." + asciiLocal(strings.ReplaceAll(fk, " ", ""))
			if g.chance(0.5) {
				local += strconv.Itoa(g.r.IntN(100))
			}
			email = local + "@" + g.one([]string{"example.com", "example.org", "example.net", "mail.example.co.uk"})
		}
		var contact ContactMethod
		switch {
		case phone == "" && email != "":
			contact = ContactEmail
		case phone == "":
			contact = ContactLetter
		case email != "" && g.chance(0.3):
			contact = ContactEmail
		case age >= 80 && g.chance(0.25) || g.chance(0.04):
			contact = ContactLetter
		case strings.HasPrefix(phone, "07") && g.chance(0.5):
			contact = ContactText
		default:
			contact = ContactPhone
		}
		interpreter, language := false, ""
		if ng.languages != nil {
			p := ng.interpreterYoung
			if born < 1965 {
				p = ng.interpreterOld
			}
			if g.chance(p) {
				interpreter, language = true, g.one(ng.languages)
			}
		}
		bsl := g.chance(0.002)
		if bsl {
			interpreter, language = true, "British Sign Language"
		}
		largePrint := age >= 75 && g.chance(0.1) || g.chance(0.005)
		easyRead := g.chance(0.01)
		var nhs any // NULL: a few patients have no NHS number yet
		if !g.chance(0.025) {
			nhs = nextNHS()
		}
		createdDay := -7
		created, by := setup, g.admin
		if g.chance(0.2) {
			createdDay = g.workDay(g.r.IntN(g.days + 1))
			if createdDay > g.days {
				createdDay = -7
			} else {
				created, by = ts(g.at(createdDay, 8*60+g.r.IntN(9*60))), g.receps[g.r.IntN(len(g.receps))]
				if created > ts(g.now) {
					createdDay, created, by = -7, setup, g.admin
				}
			}
		}
		g.patients[i] = demoPatient{given: given, family: family, born: born, createdDay: int32(createdDay)}
		if _, err := stmt.ExecContext(g.ctx, i+1, nhs, given, family, gk, fk, dob.Format(DateLayout), string(sex), ethnic,
			address, postcode, phone, email, string(contact), interpreter, language, largePrint, easyRead, bsl,
			g.chance(0.96), g.chance(0.88), created, by, created, by); err != nil {
			return fmt.Errorf("demo patient: %w", err)
		}
	}
	g.progress("patients", n, n)
	return nil
}
