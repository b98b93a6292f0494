package main

import (
	"log"
	"os"
	"syscall"
)

// attachConsole lets a subcommand typed in a Command Prompt print there and
// ask for a passphrase. The Windows build is a GUI executable, so that no
// console window opens behind the app, and Windows gives such a program no
// console: without this, `Linkwell.exe backup …` would print nothing. Output
// already redirected to a file or a pipe is left as it is.
func attachConsole(args []string) {
	if len(args) == 0 {
		return // the app, started from a shortcut
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := attach.Call(attachParentProcess); r == 0 {
		return // started from Explorer or a scheduled task: no console to print to
	}
	useConsole(&os.Stdin, "CONIN$")
	useConsole(&os.Stdout, "CONOUT$")
	useConsole(&os.Stderr, "CONOUT$")
	log.SetOutput(os.Stderr) // log kept the stderr it found at start
}

// useConsole points *f at the console unless it is a usable handle (a
// file, a pipe) already.
func useConsole(f **os.File, name string) {
	if *f != nil {
		if t, err := syscall.GetFileType(syscall.Handle((*f).Fd())); err == nil && t != syscall.FILE_TYPE_UNKNOWN {
			return
		}
	}
	if c, err := os.OpenFile(name, os.O_RDWR, 0); err == nil {
		*f = c
	}
}
