package data

import (
	"context"
	"fmt"
	"testing"
)

// benchServiceRows makes n varied directory entries, as a feed would bring.
func benchServiceRows(n int) []ServiceImport {
	areas := []string{"Halifax", "Hebden Bridge", "Todmorden", "Sowerby", "Brighouse", "Elland", "Northowram", "Ovenden"}
	kinds := []string{"Walking Group", "Befriending Service", "Community Garden", "Art Club", "Memory Café", "Debt Advice",
		"Foodbank", "Carers' Support", "Men's Shed", "Chair Yoga", "Lunch Club", "Digital Drop-in", "Choir", "Youth Club"}
	orgs := []string{"Age UK Calderdale", "Citizens Advice", "Calder Valley Ramblers", "St Mary's Church", "Mind in Calderdale", "Café Society"}
	rows := make([]ServiceImport, n)
	for i := range rows {
		rows[i] = ServiceImport{Where: fmt.Sprintf("item %d", i), Service: Service{
			ExternalID:   fmt.Sprintf("bench-%d", i),
			Name:         fmt.Sprintf("%s %s %d", areas[i%len(areas)], kinds[i%len(kinds)], i),
			Organisation: orgs[i%len(orgs)],
			Categories:   []string{ServiceCategories[i%len(ServiceCategories)], ServiceCategories[(i*7+3)%len(ServiceCategories)]},
			Description:  "A friendly weekly group where everyone is welcome; tea, biscuits and a chat, with volunteers on hand to help newcomers settle in.",
			Postcode:     fmt.Sprintf("HX%d %dAB", 1+i%7, i%10),
			IsFree:       i%3 != 0,
			Access:       ServiceAccess[i%len(ServiceAccess)].Code,
			Status:       ServiceStatuses[i%10/8].Code,
		}}
	}
	return rows
}

func benchDirectoryStore(b *testing.B) *Store {
	b.Helper()
	s := newStore(b)
	admin := setUpPractice(b, s)
	if _, err := s.ImportServices(context.Background(), s.session(admin), benchServiceRows(1000), nil); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchDirectorySearch(b *testing.B, q ServiceQuery) {
	s := benchDirectoryStore(b)
	ctx := context.Background()
	b.ResetTimer()
	sess := s.sessionFor(OpViewDirectory) // one sign-in, as a screen holds it
	for b.Loop() {
		list, total, err := s.SearchServices(ctx, sess, q, 0, 50)
		if err != nil || total == 0 || len(list) == 0 {
			b.Fatalf("%d %d %v", len(list), total, err)
		}
	}
}

// Search as you type: one partly typed word, then two.
func BenchmarkSearchServicesPrefix(b *testing.B) {
	benchDirectorySearch(b, ServiceQuery{Text: "wal"})
}

func BenchmarkSearchServicesPrefixTwoWords(b *testing.B) {
	benchDirectorySearch(b, ServiceQuery{Text: "hal fri", Status: "active"})
}

func BenchmarkSearchServicesCategory(b *testing.B) {
	benchDirectorySearch(b, ServiceQuery{Category: "walking", Status: "active"})
}

func BenchmarkSearchServicesNoText(b *testing.B) {
	benchDirectorySearch(b, ServiceQuery{})
}

func BenchmarkSearchServicesAllFilters(b *testing.B) {
	benchDirectorySearch(b, ServiceQuery{Text: "gro", Cost: CostFree, PostcodeArea: "HX1", Status: "active"})
}

// Re-importing a 1,000-service feed (every row an update), in one transaction.
func BenchmarkImportServices1000(b *testing.B) {
	s := benchDirectoryStore(b)
	rows := benchServiceRows(1000)
	b.ResetTimer()
	sess := s.sessionFor(OpEditDirectory) // one sign-in, as a screen holds it
	for b.Loop() {
		if res, err := s.ImportServices(context.Background(), sess, rows, nil); err != nil || res.Updated != 1000 {
			b.Fatal(res, err)
		}
	}
}
