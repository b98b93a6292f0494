package pdf

import (
	"bytes"
	"fmt"
	"testing"
)

// TestQRCodesAreKept checks that an address is encoded once, that the kept
// code is the one a fresh encoding gives, and that the cache stays bounded.
func TestQRCodesAreKept(t *testing.T) {
	const site = "https://calder-valley-ramblers.example.org/canal-walking-group"
	first, err := qrPNG(site)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := qrPNG(site)
	if &first[0] != &again[0] {
		t.Error("the same address was encoded twice")
	}
	qrCache.Lock()
	clear(qrCache.png)
	qrCache.Unlock()
	fresh, _ := qrPNG(site)
	if !bytes.Equal(first, fresh) {
		t.Error("a kept code differs from a fresh one")
	}
	for i := range qrCacheSize + 10 {
		if _, err := qrPNG(fmt.Sprintf("https://example.org/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	qrCache.Lock()
	n := len(qrCache.png)
	qrCache.Unlock()
	if n > qrCacheSize {
		t.Errorf("%d codes kept, at most %d wanted", n, qrCacheSize)
	}
}
