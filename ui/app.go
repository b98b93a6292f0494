// Package ui holds Linkwell's screens: one file per screen, each a struct
// holding its widgets, built by a constructor, with methods for its events.
package ui

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"linkwell/data"
)

// App is the one main window: set-up or sign-in first, then a navigation
// column on the left, the practice and the signed-in user at the top, and
// the current screen filling the rest.
type App struct {
	win      fyne.Window
	store    *data.Store
	session  *data.Session // every store call passes it; nil before sign-in
	user     data.User     // the signed-in user as at sign-in, for display
	practice data.Practice

	setUp     *SetUpScreen
	signIn    *SignInScreen
	nav       *fyne.Container
	navItems  map[string]*widget.Button
	body      *fyne.Container
	current   string
	shortcuts map[string]func()       // the current screen's, by ShortcutName
	keys      map[fyne.KeyName]func() // the current screen's keys alone (Escape, F5): onKey
	navKeys   map[string]func()       // Ctrl+1…Ctrl+9, Ctrl+0: the window's for the whole session

	// The screens built since sign-in.
	patients     *PatientsScreen
	staff        *StaffScreen
	referrals    *ReferralsScreen
	newReferral  *ReferralForm
	caseRecord   *CaseScreen
	referralView *ReferralView // reception's view of a referral
	diary        *DiaryScreen
	today        *TodayScreen
	patterns     *PatternsScreen
	directory    *DirectoryScreen
	rx           *PrescriptionScreen
	retention    *RetentionScreen
	dashboard    *DashboardScreen
	audit        *AuditScreen

	// The list screens' state as last left, put back when they are built
	// again (ui/keep.go).
	referralsKept *referralsState
	patientsKept  *patientsState
	directoryKept *directoryState

	// Recovery and automatic backups (ui/recovery.go, ui/backup_status.go).
	dbPath         string // the database's path while no store is open
	damage         error  // why the database is unusable; nil when it is fine
	recovery       *RecoveryScreen
	backups        backupKeeper
	backupStatus   *BackupStatus // the status line; nil for roles without one
	backgroundCtx  context.Context
	stopBackground context.CancelFunc
	backupsStarted bool

	// The idle lock (ui/lock.go). IdleLock, when set, replaces the
	// practice's idle time (tests).
	IdleLock    time.Duration
	idle        idleWatch
	lock        *LockScreen
	frame       fyne.CanvasObject // the signed-in layout, hidden while locked
	lockedFocus fyne.Focusable    // where the keyboard was when the window locked
	lockedKeys  func(*fyne.KeyEvent)

	// Live screens (ui/live.go).
	liveStop    context.CancelFunc // ends the store's watch; nil when not watching
	livePending bool               // a change came while locked: refresh on unlock
	lostBanner  *widget.Label      // "Lost connection to the server — retrying"
}

// WindowSize is the size the window opens at: it fits a 1366×768 laptop
// screen with a taskbar at scale 1.0 (the window was 760 high, taller than
// what such a screen has to give; issue 17). Every screen's minimum fits
// inside it (TestScreensFitTheWindow).
var WindowSize = fyne.NewSize(1280, 720)

// WindowSizeAt is the size to open the window at when text is scaled by
// scale: WindowSize's pixels, so that large text (FYNE_SCALE=1.4) makes
// the screens scroll and wrap inside a window that still fits a 1366×768
// screen instead of opening at 1792×1008 pixels, past its edge.
func WindowSizeAt(scale float32) fyne.Size {
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(WindowSize.Width/scale, WindowSize.Height/scale)
}

// TextScale is the scale the user asked for, as Fyne works it out: the
// FYNE_SCALE environment variable, else the app's settings (1 unless set).
func TextScale(settings fyne.Settings) float32 {
	if env := os.Getenv("FYNE_SCALE"); env != "" && env != "auto" {
		if f, err := strconv.ParseFloat(env, 32); err == nil && f > 0 {
			return float32(f)
		}
	}
	if s := settings.Scale(); s > 0 {
		return s
	}
	return 1
}

// page is one entry of the navigation column.
type page struct {
	name  string
	label string // shown in the navigation when it differs from name
	icon  fyne.Resource
	need  data.Operation // what a role must be allowed to open it
	build func(a *App) fyne.CanvasObject
}

// pages lists the screens that exist, in navigation order.
func pages() []page {
	return []page{
		{name: "Dashboard", need: data.OpViewReports, icon: theme.InfoIcon(), build: func(a *App) fyne.CanvasObject {
			a.dashboard = NewDashboardScreen(a)
			return a.dashboard.Content()
		}},
		{name: "Patients", need: data.OpViewPatient, icon: theme.AccountIcon(), build: func(a *App) fyne.CanvasObject {
			a.patients = NewPatientsScreen(a)
			return a.patients.Content()
		}},
		{name: "Referrals", need: data.OpViewReferralList, icon: theme.ListIcon(), build: func(a *App) fyne.CanvasObject {
			a.referrals = NewReferralsScreen(a)
			return a.referrals.Content()
		}},
		{name: "New referral", need: data.OpRefer, icon: theme.ContentAddIcon(), build: func(a *App) fyne.CanvasObject {
			a.newReferral = NewReferralForm(a, 0)
			return a.newReferral.Content()
		}},
		{name: "Working patterns", icon: theme.GridIcon(), need: data.OpManageWorkingPatterns, build: func(a *App) fyne.CanvasObject {
			a.patterns = NewPatternsScreen(a)
			return a.patterns.Content()
		}},
		{name: "Today", need: data.OpViewDiary, icon: theme.HistoryIcon(), build: func(a *App) fyne.CanvasObject {
			a.today = NewTodayScreen(a)
			return a.today.Content()
		}},
		{name: "Diary", need: data.OpViewDiary, icon: theme.CalendarIcon(), build: func(a *App) fyne.CanvasObject {
			a.diary = NewDiaryScreen(a)
			return a.diary.Content()
		}},
		{name: "Directory", need: data.OpViewDirectory, icon: theme.SearchIcon(), build: func(a *App) fyne.CanvasObject {
			a.directory = NewDirectoryScreen(a)
			return a.directory.Content()
		}},
		{name: "Prescription", label: "Social prescription", icon: theme.DocumentPrintIcon(),
			need: data.OpViewPrescription,
			build: func(a *App) fyne.CanvasObject {
				a.rx = NewPrescriptionScreen(a, 0, 0)
				return a.rx.Content()
			}},
		{name: "Retention", need: data.OpRetention, icon: theme.StorageIcon(), build: func(a *App) fyne.CanvasObject {
			a.retention = NewRetentionScreen(a)
			return a.retention.Content()
		}},
		{name: "Audit", need: data.OpViewAudit, icon: theme.VisibilityIcon(), build: func(a *App) fyne.CanvasObject {
			a.audit = NewAuditScreen(a)
			return a.audit.Content()
		}},
		{name: "Staff", need: data.OpManageUsers, icon: theme.SettingsIcon(), build: func(a *App) fyne.CanvasObject {
			a.staff = NewStaffScreen(a)
			return a.staff.Content()
		}},
	}
}

func (p page) allows(r data.Role) bool {
	return r.May(p.need)
}

// New builds the app around a window and an open store.
func New(win fyne.Window, store *data.Store) *App {
	a := &App{win: win, store: store}
	a.backups.store = store
	return a
}

// Start shows first-run set-up on a new database, otherwise sign-in (or,
// for NewDamaged, the recovery screen).
func (a *App) Start() {
	if a.store == nil {
		a.ShowRecovery(a.damage)
		return
	}
	ctx := context.Background()
	needs, err := a.store.NeedsSetUp(ctx)
	if err != nil {
		a.showError(err)
		return
	}
	if needs {
		a.setUp = NewSetUpScreen(a)
		a.win.SetTitle("Linkwell — set up a new practice")
		a.win.SetContent(a.setUp.Content())
		a.setUp.Focus()
		return
	}
	a.ShowSignIn()
}

// ShowSignIn clears the session and shows the sign-in screen.
func (a *App) ShowSignIn() {
	a.stopIdleWatch()
	a.removeLock()
	// A dialog the last user left open under the lock goes with them.
	for c := a.win.Canvas(); c.Overlays().Top() != nil; {
		c.Overlays().Remove(c.Overlays().Top())
	}
	a.frame, a.lockedFocus, a.lockedKeys = nil, nil, nil
	a.win.Canvas().SetOnTypedRune(nil)
	a.stopLive()
	a.lostBanner = nil
	a.session, a.user = nil, data.User{}
	a.patients, a.staff, a.referrals, a.newReferral, a.caseRecord, a.referralView = nil, nil, nil, nil, nil, nil
	a.diary, a.today, a.patterns = nil, nil, nil
	a.directory, a.rx, a.retention, a.dashboard, a.audit = nil, nil, nil, nil, nil
	a.referralsKept, a.patientsKept, a.directoryKept = nil, nil, nil
	a.clearShortcuts()
	a.clearNavKeys()
	a.leaveScreen()
	p, err := a.store.Practice(context.Background())
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		a.showError(err)
	}
	a.practice = p
	a.win.SetTitle("Linkwell — " + p.Name)
	a.signIn = NewSignInScreen(a)
	a.win.SetContent(a.signIn.Content())
	a.signIn.Focus()
}

// SignedIn opens the main layout for a session that has just begun.
func (a *App) SignedIn(sess *data.Session) {
	a.leaveScreen()
	// A new session starts with the lists clean.
	a.current = ""
	a.referralsKept, a.patientsKept, a.directoryKept = nil, nil, nil
	a.session = sess
	u := sess.User()
	a.user = u
	if p, err := a.store.Practice(context.Background()); err == nil {
		a.practice = p
	}
	a.win.SetTitle("Linkwell — " + a.practice.Name)

	a.navItems = map[string]*widget.Button{}
	a.nav = container.NewVBox()
	a.clearNavKeys()
	first := ""
	for _, p := range pages() {
		if !p.allows(u.Role) {
			continue
		}
		if first == "" {
			first = p.name
		}
		name := p.name
		label := p.name
		if p.label != "" {
			label = p.label
		}
		b := widget.NewButtonWithIcon(label, p.icon, func() { a.Show(name) })
		b.Alignment = widget.ButtonAlignLeading
		a.navItems[name] = b
		a.nav.Add(a.navKey(b, name, len(a.navItems)))
	}

	practice := widget.NewLabelWithStyle(a.practice.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who := widget.NewLabel("Signed in as " + u.FullName + " (" + u.Role.Label() + ")")
	signOut := widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), a.SignOut)
	top := container.NewBorder(nil, nil, practice, container.NewHBox(who, signOut))

	a.body = container.NewStack()
	navPanel := container.NewBorder(nil, nil, nil, widget.NewSeparator(), container.NewPadded(a.nav))
	var bottom fyne.CanvasObject
	if a.backupStatus = newBackupStatus(a); a.backupStatus != nil {
		bottom = a.backupStatus.Content()
		a.backupStatus.Reload()
	}
	a.lostBanner = newLostBanner()
	a.frame = container.NewBorder(container.NewVBox(a.lostBanner, top, widget.NewSeparator()), bottom, navPanel, nil, container.NewScroll(a.body))
	a.win.SetContent(container.NewStack(newActivityCatcher(a), a.frame))
	// Letters typed with nothing focused are input too (see ui/lock.go).
	a.win.Canvas().SetOnTypedRune(func(rune) { a.noteInput() })
	if land := landing(u.Role); a.mayShow(land) {
		first = land
	}
	a.Show(first)
	a.startIdleWatch()
	a.startLive()
}

// landing is the screen a role starts on: its everyday work, not an empty
// form (issue 17). The receptionist's day is Today's arrivals; a GP looks
// patients up; a link worker's Referrals open on their caseload ("My
// caseload" is ticked for roles with one); the practice manager reads the
// dashboard. Any other role starts on its first page.
func landing(r data.Role) string {
	switch r {
	case data.RoleReceptionist:
		return "Today"
	case data.RoleGP:
		return "Patients"
	case data.RoleLinkWorker:
		return "Referrals"
	case data.RolePracticeManager:
		return "Dashboard"
	}
	return ""
}

// Show switches to the named screen, if the signed-in role may use it.
func (a *App) Show(name string) {
	for _, p := range pages() {
		if p.name != name || !p.allows(a.user.Role) {
			continue
		}
		a.keepScreen()
		a.clearShortcuts()
		a.leaveScreen()
		a.current = name
		a.highlight(name)
		screen := p.build(a)
		a.body.Objects = []fyne.CanvasObject{screen}
		a.body.Refresh()
		a.focusScreen()
		return
	}
}

// OpenCase shows the case record of one referral in place of the current
// screen; its Back button returns to the referrals list. A role that may
// not read case records (reception) sees what booking needs instead.
func (a *App) OpenCase(referralID int64) {
	a.keepScreen()
	a.clearShortcuts()
	a.leaveScreen()
	a.highlight("Referrals") // the case record belongs to the referrals
	if !a.session.May(data.OpViewCaseRecord) {
		a.current = "Referral"
		a.caseRecord = nil
		a.referralView = NewReferralView(a, referralID)
		a.body.Objects = []fyne.CanvasObject{a.referralView.Content()}
		a.body.Refresh()
		a.escapeGoesBack(func() { a.Show("Referrals") })
		return
	}
	a.current = "Case record"
	a.caseRecord = NewCaseScreen(a, referralID)
	a.body.Objects = []fyne.CanvasObject{a.caseRecord.Content()}
	a.body.Refresh()
}

// StartReferral opens the new-referral form for a patient (0: none chosen).
func (a *App) StartReferral(patientID int64) {
	a.Show("New referral")
	if patientID != 0 && a.newReferral != nil {
		a.newReferral.ChoosePatient(patientID)
	}
}

// StartPrescription opens the social prescription screen for a patient,
// with their referral (0: their open referral, if any).
func (a *App) StartPrescription(patientID, referralID int64) {
	a.Show("Prescription")
	if a.current == "Prescription" && a.rx != nil && patientID != 0 {
		a.rx.ChoosePatient(patientID, referralID)
	}
}

// mayShow reports whether the signed-in role may use the named screen.
func (a *App) mayShow(name string) bool {
	for _, p := range pages() {
		if p.name == name {
			return p.allows(a.user.Role)
		}
	}
	return false
}

// highlight marks one navigation entry as the current screen.
func (a *App) highlight(name string) {
	for n, b := range a.navItems {
		if n == name {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
}

// focusScreen puts the keyboard focus where the new screen wants it. A
// widget can take focus only once it is on the window, so screens say
// where in a Focus method, called here after they are shown.
func (a *App) focusScreen() {
	var screen any
	switch a.current {
	case "Patients":
		screen = a.patients
	case "Referrals":
		screen = a.referrals
	case "New referral":
		screen = a.newReferral
	case "Directory":
		screen = a.directory
	case "Prescription":
		screen = a.rx
	case "Retention":
		screen = a.retention
	case "Audit":
		screen = a.audit
	}
	if f, ok := screen.(interface{ Focus() }); ok {
		f.Focus()
	}
}

// Current is the name of the screen on show.
func (a *App) Current() string { return a.current }

// User is the signed-in user.
func (a *App) User() data.User { return a.user }

// addShortcut adds a keyboard shortcut for the current screen; it is
// removed when the screen changes.
func (a *App) addShortcut(s fyne.Shortcut, fn func()) {
	a.win.Canvas().AddShortcut(s, func(fyne.Shortcut) {
		a.noteInput()
		if a.lock == nil {
			fn()
		}
	})
	if a.shortcuts == nil {
		a.shortcuts = map[string]func(){}
	}
	a.shortcuts[s.ShortcutName()] = fn
}

// runShortcut runs the current screen's shortcut s, or the navigation's,
// if there is one. Entries call it: Fyne gives a focused entry every
// shortcut, so without this the window's shortcuts would not work while
// someone is typing.
func (a *App) runShortcut(s fyne.Shortcut) bool {
	fn, ok := a.shortcuts[s.ShortcutName()]
	if !ok {
		fn, ok = a.navKeys[s.ShortcutName()]
	}
	if ok {
		a.noteInput()
		if a.lock == nil {
			fn()
		}
		return true
	}
	return false
}

// navKey gives the n-th navigation entry (from 1) the shortcut Ctrl+n, up
// to Ctrl+9 and Ctrl+0 for the tenth (the practice manager has ten), and
// shows it beside the entry. The shortcuts belong to the window for the
// whole session, so they work on every screen; they do nothing while a
// dialog is open, which must be answered first.
func (a *App) navKey(b *widget.Button, name string, n int) fyne.CanvasObject {
	if n > 10 {
		return b
	}
	digit := strconv.Itoa(n % 10)
	key := &desktop.CustomShortcut{KeyName: fyne.KeyName(digit), Modifier: fyne.KeyModifierShortcutDefault}
	c := a.win.Canvas()
	fn := func() {
		if c.Overlays().Top() == nil {
			a.Show(name)
		}
	}
	c.AddShortcut(key, func(fyne.Shortcut) {
		a.noteInput()
		if a.lock == nil {
			fn()
		}
	})
	if a.navKeys == nil {
		a.navKeys = map[string]func(){}
	}
	a.navKeys[key.ShortcutName()] = fn
	return container.NewBorder(nil, nil, nil, newNavHint(shortcutLabel+digit), b)
}

// newEntry is a one-line box that passes the window's shortcuts on
// (Ctrl+1…, the screen's Ctrl+S…): Fyne gives a focused Entry every
// shortcut and a plain one drops those it does not know (see keyEntry).
func (a *App) newEntry() *keyEntry {
	e := newKeyEntry(false, nil, nil)
	e.app = a
	return e
}

// newPasswordEntry is newEntry for a password.
func (a *App) newPasswordEntry() *keyEntry {
	e := a.newEntry()
	e.Password = true
	return e
}

// navHint is the small "Ctrl+1" beside a navigation entry: text in the
// caption size and the placeholder colour, without a Label's padding, so
// the navigation column stays narrow enough for every screen to fit 1366
// pixels (TestScreensFitTheWindow).
type navHint struct {
	widget.BaseWidget
	text string
}

func newNavHint(text string) *navHint {
	h := &navHint{text: text}
	h.ExtendBaseWidget(h)
	return h
}

// CreateRenderer implements fyne.Widget.
func (h *navHint) CreateRenderer() fyne.WidgetRenderer {
	r := &navHintRenderer{hint: h, text: canvas.NewText(h.text, nil)}
	r.Refresh()
	return r
}

type navHintRenderer struct {
	hint *navHint
	text *canvas.Text
}

func (r *navHintRenderer) Layout(size fyne.Size) {
	m := r.text.MinSize()
	r.text.Resize(m)
	r.text.Move(fyne.NewPos(size.Width-m.Width, (size.Height-m.Height)/2))
}

func (r *navHintRenderer) MinSize() fyne.Size { return r.text.MinSize() }

// Refresh follows the theme (light, dark, large text).
func (r *navHintRenderer) Refresh() {
	th := r.hint.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.text.Text = r.hint.text
	r.text.Color = th.Color(theme.ColorNamePlaceHolder, v)
	r.text.TextSize = th.Size(theme.SizeNameCaptionText)
	r.text.Refresh()
}

func (r *navHintRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.text} }
func (r *navHintRenderer) Destroy()                     {}

// shortcutLabel is how the screens name the shortcut key (Command on a Mac).
var shortcutLabel = map[bool]string{true: "Cmd+", false: "Ctrl+"}[runtime.GOOS == "darwin"]

func (a *App) clearNavKeys() {
	for name := range a.navKeys {
		a.win.Canvas().RemoveShortcut(&namedShortcut{name})
	}
	a.navKeys = nil
}

// escapeGoesBack makes Escape, pressed with nothing focused, call back; a
// focused entry of the screen passes its Escape on itself.
func (a *App) escapeGoesBack(back func()) { a.onKey(fyne.KeyEscape, back) }

// onKey makes a key pressed alone (Escape, F5) with nothing focused call fn,
// for the current screen. A key without a modifier is never a canvas
// shortcut in Fyne 2.8, so it comes through the window's key handler, which
// clearShortcuts resets; a focused widget gets it instead (todayList).
func (a *App) onKey(name fyne.KeyName, fn func()) {
	if a.keys == nil {
		a.keys = map[fyne.KeyName]func(){}
	}
	a.keys[name] = fn
	c := a.win.Canvas()
	c.SetOnTypedKey(func(k *fyne.KeyEvent) {
		if fn, ok := a.keys[k.Name]; ok && c.Overlays().Top() == nil {
			fn()
		}
	})
}

func (a *App) clearShortcuts() {
	for name := range a.shortcuts {
		a.win.Canvas().RemoveShortcut(&namedShortcut{name})
	}
	a.shortcuts = nil
	a.keys = nil
	a.win.Canvas().SetOnTypedKey(nil) // a screen's Escape and F5 go with it
}

// namedShortcut removes a shortcut by name: Fyne's RemoveShortcut looks
// shortcuts up by ShortcutName alone.
type namedShortcut struct{ name string }

func (n *namedShortcut) ShortcutName() string { return n.name }

// showError tells the user something went wrong, in plain words. A
// session that has ended (the account switched off) goes back to sign-in,
// from wherever it happened.
func (a *App) showError(err error) {
	if errors.Is(err, data.ErrSignedOut) && a.session != nil {
		a.ShowSignIn()
		setError(a.signIn.message, "You have been signed out (your account may have been switched off); sign in again.")
		return
	}
	dialog.ShowError(err, a.win)
}

// heading is a screen's title in the theme's heading size.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// centred places a panel of a fixed width in the middle of the window,
// scrolling when the window is too short for it.
func centred(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewCenter(container.New(fixedWidth(width), content)))
}

// fixedWidth lays its objects out at one width and their natural height.
type fixedWidth float32

func (w fixedWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(w), h)
}

func (w fixedWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}
