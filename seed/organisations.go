package seed

// Org is a demo organisation. Workforce figures are APPROXIMATE, rounded
// public-order-of-magnitude figures for demonstration only; they are not
// official statistics.
type Org struct {
	Name, Slug, Sector, Nation, Region string
	Officers, Staff, Volunteers        int // approximate
}

// Organisations are the demo national picture: the 43 territorial police
// forces of England and Wales by region, the other policing bodies, and a
// representative set of fire and rescue and ambulance services.
//
// Regions follow each sector's own grouping. Police forces in England sit
// in the police regions (Eastern takes in Kent and Essex; the national
// bodies are "National"). Fire and rescue services and ambulance trusts in
// England sit in the English regions (East of England, South East and so
// on), as their national bodies group them; services in Wales, Scotland and
// Northern Ireland sit in their nation.
var Organisations = []Org{
	// North West
	{"Cheshire Constabulary", "cheshire", "police", "England", "North West", 2200, 1500, 150},
	{"Cumbria Constabulary", "cumbria", "police", "England", "North West", 1300, 900, 100},
	{"Greater Manchester Police", "greater-manchester", "police", "England", "North West", 8100, 4200, 400},
	{"Lancashire Constabulary", "lancashire", "police", "England", "North West", 3400, 2300, 200},
	{"Merseyside Police", "merseyside", "police", "England", "North West", 4000, 2000, 200},
	{"North Wales Police", "north-wales", "police", "Wales", "Wales", 1700, 1100, 100},
	// North East
	{"Cleveland Police", "cleveland", "police", "England", "North East", 1500, 900, 80},
	{"Durham Constabulary", "durham", "police", "England", "North East", 1300, 800, 80},
	{"Northumbria Police", "northumbria", "police", "England", "North East", 3700, 2000, 200},
	// Yorkshire and the Humber
	{"Humberside Police", "humberside", "police", "England", "Yorkshire and the Humber", 2200, 1400, 120},
	{"North Yorkshire Police", "north-yorkshire", "police", "England", "Yorkshire and the Humber", 1600, 1200, 100},
	{"South Yorkshire Police", "south-yorkshire", "police", "England", "Yorkshire and the Humber", 3000, 2000, 150},
	{"West Yorkshire Police", "west-yorkshire", "police", "England", "Yorkshire and the Humber", 6000, 4000, 300},
	// East Midlands
	{"Derbyshire Constabulary", "derbyshire", "police", "England", "East Midlands", 2000, 1300, 120},
	{"Leicestershire Police", "leicestershire", "police", "England", "East Midlands", 2300, 1300, 120},
	{"Lincolnshire Police", "lincolnshire", "police", "England", "East Midlands", 1300, 900, 100},
	{"Northamptonshire Police", "northamptonshire", "police", "England", "East Midlands", 1500, 900, 120},
	{"Nottinghamshire Police", "nottinghamshire", "police", "England", "East Midlands", 2400, 1400, 120},
	// West Midlands
	{"Staffordshire Police", "staffordshire", "police", "England", "West Midlands", 1900, 1200, 120},
	{"Warwickshire Police", "warwickshire", "police", "England", "West Midlands", 1100, 800, 80},
	{"West Mercia Police", "west-mercia", "police", "England", "West Midlands", 2500, 1700, 150},
	{"West Midlands Police", "west-midlands", "police", "England", "West Midlands", 7600, 3800, 350},
	// Eastern
	{"Bedfordshire Police", "bedfordshire", "police", "England", "Eastern", 1400, 900, 100},
	{"Cambridgeshire Constabulary", "cambridgeshire", "police", "England", "Eastern", 1700, 1100, 120},
	{"Essex Police", "essex", "police", "England", "Eastern", 3700, 2100, 250},
	{"Hertfordshire Constabulary", "hertfordshire", "police", "England", "Eastern", 2300, 1400, 150},
	{"Kent Police", "kent", "police", "England", "Eastern", 4100, 2400, 250},
	{"Norfolk Constabulary", "norfolk", "police", "England", "Eastern", 1900, 1200, 150},
	{"Suffolk Constabulary", "suffolk", "police", "England", "Eastern", 1400, 900, 120},
	// South East
	{"Hampshire and Isle of Wight Constabulary", "hampshire-iow", "police", "England", "South East", 3600, 2400, 250},
	{"Surrey Police", "surrey", "police", "England", "South East", 2200, 1800, 150},
	{"Sussex Police", "sussex", "police", "England", "South East", 3200, 2200, 200},
	{"Thames Valley Police", "thames-valley", "police", "England", "South East", 5000, 3200, 300},
	// South West
	{"Avon and Somerset Constabulary", "avon-somerset", "police", "England", "South West", 3300, 2400, 250},
	{"Devon and Cornwall Police", "devon-cornwall", "police", "England", "South West", 3600, 2300, 300},
	{"Dorset Police", "dorset", "police", "England", "South West", 1400, 1000, 100},
	{"Gloucestershire Constabulary", "gloucestershire", "police", "England", "South West", 1300, 800, 100},
	{"Wiltshire Police", "wiltshire", "police", "England", "South West", 1200, 900, 100},
	// Wales
	{"Dyfed-Powys Police", "dyfed-powys", "police", "Wales", "Wales", 1300, 900, 100},
	{"Gwent Police", "gwent", "police", "Wales", "Wales", 1500, 900, 80},
	{"South Wales Police", "south-wales", "police", "Wales", "Wales", 3500, 2000, 150},
	// London
	{"Metropolitan Police Service", "met", "police", "England", "London", 33000, 11000, 1500},
	{"City of London Police", "city-of-london", "police", "England", "London", 1000, 500, 60},
	// Other policing bodies
	{"British Transport Police", "btp", "police", "UK-wide", "National", 3100, 1600, 300},
	{"Civil Nuclear Constabulary", "cnc", "police", "UK-wide", "National", 1500, 400, 0},
	{"Ministry of Defence Police", "mdp", "police", "UK-wide", "National", 2500, 400, 0},
	{"Police Service of Northern Ireland", "psni", "police", "Northern Ireland", "Northern Ireland", 6300, 2600, 0},
	{"Police Scotland", "police-scotland", "police", "Scotland", "Scotland", 16500, 5500, 400},
	// Fire and rescue (a representative set)
	{"London Fire Brigade", "lfb", "fire", "England", "London", 4800, 1100, 0},
	{"Greater Manchester Fire and Rescue Service", "gmfrs", "fire", "England", "North West", 1200, 400, 0},
	{"West Midlands Fire Service", "wmfs", "fire", "England", "West Midlands", 1300, 400, 0},
	{"Merseyside Fire and Rescue Service", "mfrs", "fire", "England", "North West", 650, 250, 0},
	{"West Yorkshire Fire and Rescue Service", "wyfrs", "fire", "England", "Yorkshire and the Humber", 900, 300, 0},
	{"Devon and Somerset Fire and Rescue Service", "dsfrs", "fire", "England", "South West", 1800, 400, 0},
	{"Kent Fire and Rescue Service", "kfrs", "fire", "England", "South East", 1100, 300, 0},
	{"Essex County Fire and Rescue Service", "ecfrs", "fire", "England", "East of England", 1200, 300, 0},
	{"North Wales Fire and Rescue Service", "nwfrs", "fire", "Wales", "Wales", 650, 150, 0},
	{"Mid and West Wales Fire and Rescue Service", "mawwfrs", "fire", "Wales", "Wales", 1100, 250, 0},
	{"South Wales Fire and Rescue Service", "swfrs", "fire", "Wales", "Wales", 1400, 300, 0},
	{"Scottish Fire and Rescue Service", "sfrs", "fire", "Scotland", "Scotland", 6500, 1500, 0},
	{"Northern Ireland Fire and Rescue Service", "nifrs", "fire", "Northern Ireland", "Northern Ireland", 1800, 400, 0},
	// Ambulance
	{"East Midlands Ambulance Service", "emas", "ambulance", "England", "East Midlands", 3200, 1600, 200},
	{"East of England Ambulance Service", "eeast", "ambulance", "England", "East of England", 3800, 1800, 250},
	{"London Ambulance Service", "las", "ambulance", "England", "London", 4500, 2500, 300},
	{"North East Ambulance Service", "neas", "ambulance", "England", "North East", 1800, 1000, 100},
	{"North West Ambulance Service", "nwas", "ambulance", "England", "North West", 4500, 2500, 250},
	{"South Central Ambulance Service", "scas", "ambulance", "England", "South East", 2500, 1800, 200},
	{"South East Coast Ambulance Service", "secamb", "ambulance", "England", "South East", 2600, 1500, 200},
	{"South Western Ambulance Service", "swast", "ambulance", "England", "South West", 3600, 2000, 300},
	{"West Midlands Ambulance Service", "wmas", "ambulance", "England", "West Midlands", 3600, 2200, 200},
	{"Yorkshire Ambulance Service", "yas", "ambulance", "England", "Yorkshire and the Humber", 3500, 2000, 200},
	{"Welsh Ambulance Services", "was", "ambulance", "Wales", "Wales", 2400, 1400, 100},
	{"Scottish Ambulance Service", "sas", "ambulance", "Scotland", "Scotland", 4000, 1500, 150},
	{"Northern Ireland Ambulance Service", "nias", "ambulance", "Northern Ireland", "Northern Ireland", 1000, 400, 50},
}

// peerGroup puts organisations of a sector and size together for benchmarks.
func peerGroup(o Org) string {
	switch o.Sector {
	case "police":
		switch {
		case o.Officers >= 5000:
			return "Police: very large"
		case o.Officers >= 3000:
			return "Police: large"
		case o.Officers >= 1800:
			return "Police: medium"
		default:
			return "Police: small"
		}
	case "fire":
		if o.Officers >= 1500 {
			return "Fire and rescue: large"
		}
		return "Fire and rescue: medium"
	default:
		return "Ambulance"
	}
}
