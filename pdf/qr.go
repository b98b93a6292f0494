package pdf

import (
	"strings"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
)

// qrPNG draws text as a QR code and returns it as PNG bytes, which the
// caller must not change. The PNG keeps the standard white quiet zone
// around the code: phones need it to find the code, and the service boxes
// behind it are shaded.
func qrPNG(text string) ([]byte, error) {
	qrCache.Lock()
	png, ok := qrCache.png[text]
	qrCache.Unlock()
	if ok {
		return png, nil
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	// A negative size is pixels per module: small files, sharp at any scale.
	if png, err = q.PNG(-4); err != nil {
		return nil, err
	}
	qrCache.Lock()
	if len(qrCache.png) >= qrCacheSize {
		clear(qrCache.png) // simple, and bounded
	}
	qrCache.png[text] = png
	qrCache.Unlock()
	return png, nil
}

// qrCache keeps the codes of the addresses drawn lately: encoding one costs
// more than the rest of its service's block, and a batch of prescriptions
// shows the same few services again and again.
var qrCache = struct {
	sync.Mutex
	png map[string][]byte
}{png: map[string][]byte{}}

const qrCacheSize = 500

// websiteURL is the address a phone should open: a bare "example.org"
// gets https:// so the camera app recognises it as a link.
func websiteURL(site string) string {
	site = strings.TrimSpace(site)
	if site == "" || strings.Contains(site, "://") {
		return site
	}
	return "https://" + site
}

// websiteText is the address as a person reads and types it: without the
// scheme or a trailing slash.
func websiteText(site string) string {
	site = strings.TrimSpace(site)
	for _, scheme := range []string{"https://", "http://"} {
		if len(site) > len(scheme) && strings.EqualFold(site[:len(scheme)], scheme) {
			site = site[len(scheme):]
		}
	}
	return strings.TrimSuffix(site, "/")
}
