package businesscase

// sectorRoles gives examples of roles with high exposure to trauma in a
// sector, for a business case whose register names none.
func sectorRoles(sector string) string {
	switch sector {
	case "police":
		return "child abuse image investigation, collision investigation, family liaison, firearms, and emergency call handling"
	case "fire":
		return "firefighters attending road traffic collisions, suicides and incidents with human remains, fire investigators, and fire control staff"
	case "ambulance":
		return "paramedics and technicians attending cardiac arrests, major trauma and the deaths of children, 999 and 111 call handlers and clinical hub staff, and hazardous area response teams"
	}
	return "staff who are repeatedly exposed to traumatic incidents or material"
}
