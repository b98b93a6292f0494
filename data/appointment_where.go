package data

import "strings"

// AppointmentWhere says where an appointment happens, in the patient's
// terms, for what the practice hands the patient: the appointment card and
// the prescription's next appointment. site is the appointment's site (for
// an in-person appointment); patient gives the phone number and home.
func AppointmentWhere(a Appointment, site Site, patient Patient) string {
	switch a.Mode {
	case ModePhone:
		if patient.Phone != "" {
			return a.WorkerName + " will phone you on " + patient.Phone + ". Please keep your phone with you."
		}
		return a.WorkerName + " will phone you. Please make sure the practice has your number."
	case ModeVideo:
		return "A video call. You will be sent a link to join; ask us if you need help with it."
	case ModeHomeVisit:
		home := joinNonEmpty(", ", oneLine(patient.Address), patient.Postcode)
		if home == "" {
			return "At your home."
		}
		return "At your home: " + home + "."
	}
	place := joinNonEmpty(", ", a.SiteName, oneLine(site.Address), site.Postcode)
	if place == "" {
		return "At the practice."
	}
	return place + ". Please tell reception when you arrive."
}

// oneLine puts a typed address on one line: "1 Mill Lane, Calderbridge".
func oneLine(address string) string {
	return strings.ReplaceAll(strings.TrimSpace(address), "\n", ", ")
}
