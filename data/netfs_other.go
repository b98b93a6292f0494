//go:build !linux && !windows

package data

// networkShare is not detected on this system.
func networkShare(string) string { return "" }
