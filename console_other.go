//go:build !windows

package main

// attachConsole is needed only by the Windows GUI executable.
func attachConsole([]string) {}
