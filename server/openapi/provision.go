package openapi

// provisionOpenAPI describes the provision and mutual-aid routes of
// /api/v1: their paths and the schemas they use, merged into the document
// by openAPIDocument.
func provisionOpenAPI() (paths, schemas M) {
	ref := func(name string) M { return M{"$ref": "#/components/schemas/" + name} }
	jsonBody := func(description string, schema M) M {
		return M{"description": description, "content": M{"application/json": M{"schema": schema}}}
	}
	errorResponse := func(description string) M { return jsonBody(description, ref("Error")) }
	requestBody := func(schema string) M {
		return M{"required": true, "content": M{"application/json": M{"schema": ref(schema)}}}
	}
	object := func(props M) M { return M{"type": "object", "properties": props} }
	list := func(schema M) M { return M{"type": "array", "items": schema} }
	idPath := func(name, description string) M {
		return M{"name": name, "in": "path", "required": true, "description": description, "schema": M{"type": "integer"}}
	}
	query := func(name, description string, schema M) M {
		return M{"name": name, "in": "query", "required": false, "description": description, "schema": schema}
	}
	str := M{"type": "string"}
	integer := M{"type": "integer"}
	boolean := M{"type": "boolean"}
	ids := list(integer)
	nullableInt := M{"type": []string{"integer", "null"}}
	dateTime := M{"type": []string{"string", "null"}, "format": "date-time"}
	dateIn := M{"type": []string{"string", "null"}, "format": "date", "description": "A date like 2026-03-01 (a full RFC 3339 time is taken as the day it names); null or left out means none"}
	requiredDate := M{"type": "string", "format": "date", "description": "A date like 2026-03-01"}
	count := M{"type": "integer", "minimum": 0, "maximum": 1000000}
	nullableCount := func(description string) M {
		return M{"type": []string{"integer", "null"}, "minimum": 0, "maximum": 1000000, "description": description}
	}
	bearer := []M{{"bearerAuth": []string{}}}
	org := query("org", "Organisation id (national admins only; everyone else gets their own organisation)", integer)
	year := M{"name": "year", "in": "path", "required": true, "description": "Year of the return, e.g. 2026", "schema": integer}
	dogParam, handlerParam := idPath("dog", "Dog id"), idPath("handler", "Handler id")
	requestParam, offerParam := idPath("request", "Mutual-aid request id"), idPath("offer", "Offer id")

	read := func(id, summary string, params []M, ok M, notFound string) M {
		return M{"operationId": id, "summary": summary, "security": bearer, "parameters": params,
			"responses": M{"200": ok, "401": errorResponse("No valid token"), "404": errorResponse(notFound), "422": errorResponse("A parameter is not valid; the message names it")}}
	}
	// change is an operation behind requireProvisionEditor.
	change := func(id, summary string, params []M, body string, status string, ok M, notFound string) M {
		op := M{"operationId": id, "summary": summary, "security": bearer, "requestBody": requestBody(body),
			"responses": M{
				status: ok,
				"401":  errorResponse("No valid token"),
				"403":  errorResponse("The token's owner may not change provision records: only owners, and contributors given the provision section"),
				"404":  errorResponse(notFound),
				"409":  errorResponse("A record of that name already exists"),
				"413":  errorResponse("The body is over 1 MiB"),
				"422":  errorResponse("The body is not valid: malformed JSON, an unknown field, a wrong type or a broken rule; the message names each field"),
			}}
		if len(params) > 0 {
			op["parameters"] = params
		}
		return op
	}
	vanParam := idPath("request", "Van request id")
	// national is an operation behind requireRole(national admin).
	national := func(id, summary string, params []M, body string, status string, ok M) M {
		op := M{"operationId": id, "summary": summary, "security": bearer, "requestBody": requestBody(body),
			"responses": M{
				status: ok,
				"401":  errorResponse("No valid token"),
				"403":  errorResponse("Only national admins run the van fleet"),
				"404":  errorResponse("No such request"),
				"409":  errorResponse("The van is already booked on those dates (the message names the booking), the request is not in a state for this step, or a van of that name exists"),
				"413":  errorResponse("The body is over 1 MiB"),
				"422":  errorResponse("The body is not valid; the message names each field"),
			}}
		if len(params) > 0 {
			op["parameters"] = params
		}
		return op
	}
	welfare := jsonBody("Refused: the body breaks a rule (the message names the field), or the deployment would break the welfare limits (each breach listed, and whether the caller may override)", ref("WelfareRefusal"))

	paths = M{
		"/provision": M{"get": read("getProvision",
			"The provision summary of an organisation for a calendar year: indicators (each says why when it cannot be worked out, e.g. no workforce figure for the year), the peer support return and the OK9 readiness checks",
			[]M{org, query("year", "Calendar year, from ten years ago to this year; this year by default", integer)},
			jsonBody("The summary", ref("ProvisionSummary")), "No such organisation for the token's owner")},
		"/provision/ok9/scheme": M{
			"get": read("getOK9Scheme", "The OK9 scheme record (empty fields when none is recorded yet)", []M{org}, jsonBody("The scheme", ref("OK9Scheme")), "No such organisation"),
			"put": change("saveOK9Scheme", "Replace the OK9 scheme record; a date left out is cleared", nil, "OK9SchemeInput", "200", jsonBody("The saved scheme", ref("OK9Scheme")), "No such organisation"),
		},
		"/provision/ok9/dogs": M{
			"get":  read("listOK9Dogs", "The organisation's dogs by call name", []M{org}, jsonBody("The dogs", object(M{"organisation_id": integer, "dogs": list(ref("OK9Dog"))})), "No such organisation"),
			"post": change("addOK9Dog", "Add a dog; an active dog must have passed the OK9 suitability assessment", nil, "OK9DogInput", "201", jsonBody("The new dog", ref("OK9Dog")), "No such organisation"),
		},
		"/provision/ok9/dogs/{dog}": M{
			"get": read("getOK9Dog", "One of the organisation's dogs", []M{dogParam, org}, jsonBody("The dog", ref("OK9Dog")), "No such dog in the organisation"),
			"put": change("saveOK9Dog", "Replace one of the organisation's dogs", []M{dogParam}, "OK9DogInput", "200", jsonBody("The saved dog", ref("OK9Dog")), "No such dog in the organisation"),
		},
		"/provision/ok9/handlers": M{
			"get":  read("listOK9Handlers", "The organisation's handlers by display name", []M{org}, jsonBody("The handlers", object(M{"organisation_id": integer, "handlers": list(ref("OK9Handler"))})), "No such organisation"),
			"post": change("addOK9Handler", "Add a handler, known only by a display name or collar number", nil, "OK9HandlerInput", "201", jsonBody("The new handler", ref("OK9Handler")), "No such organisation"),
		},
		"/provision/ok9/handlers/{handler}": M{
			"get": read("getOK9Handler", "One of the organisation's handlers", []M{handlerParam, org}, jsonBody("The handler", ref("OK9Handler")), "No such handler in the organisation"),
			"put": change("saveOK9Handler", "Replace one of the organisation's handlers", []M{handlerParam}, "OK9HandlerInput", "200", jsonBody("The saved handler", ref("OK9Handler")), "No such handler in the organisation"),
		},
		"/provision/ok9/deployments": M{
			"get": read("listOK9Deployments", "The deployment log, newest first: the organisation's own dogs' deployments and the mutual-aid deployments it hosted",
				[]M{org, query("from", "First day (YYYY-MM-DD); a year ago by default", M{"type": "string", "format": "date"}),
					query("to", "Last day (YYYY-MM-DD), within five years of from; a month ahead by default", M{"type": "string", "format": "date"})},
				jsonBody("The log", object(M{"organisation_id": integer, "from": str, "to": str, "deployments": list(ref("OK9Deployment"))})), "No such organisation"),
			"post": func() M {
				op := change("logOK9Deployment", "Log a deployment of the organisation's own active dogs. It is checked against the welfare limits (the newest loaded OK9 welfare policy); one that would break them is refused with 422 and every breach, unless the organisation's owner sends override_reason. Mutual-aid deployments are logged by accepting an offer instead.",
					nil, "OK9DeploymentInput", "201", jsonBody("The logged deployment", ref("OK9Deployment")), "No such organisation")
				op["responses"].(M)["422"] = welfare
				return op
			}(),
		},
		"/provision/peer-support": M{"get": read("listPeerSupportReturns", "Every annual peer support return of the organisation, newest year first", []M{org},
			jsonBody("The returns", object(M{"organisation_id": integer, "returns": list(ref("PeerSupportReturn"))})), "No such organisation")},
		"/provision/peer-support/{year}": M{
			"get": read("getPeerSupportReturn", "The organisation's peer support return for a year", []M{year, org}, jsonBody("The return", ref("PeerSupportReturn")), "No return for that year"),
			"put": change("savePeerSupportReturn", "Record or replace the organisation's peer support return for a year; every field is required but the training and supervision counts, which left out are not recorded", []M{year}, "PeerSupportReturnInput", "200", jsonBody("The saved return", ref("PeerSupportReturn")), "No such organisation"),
		},
		"/provision/trauma": M{"get": read("listTraumaReturns", "Every quarterly TRiM and trauma support return of the organisation, newest first", []M{org},
			jsonBody("The returns", object(M{"organisation_id": integer, "returns": list(ref("TraumaReturn"))})), "No such organisation")},
		"/provision/trauma/{year}/{quarter}": M{"put": change("saveTraumaReturn", "Record or replace the organisation's TRiM and trauma support return for a quarter; every count is required. A refused return saves nothing; the message names the field.",
			[]M{year, {"name": "quarter", "in": "path", "required": true, "description": "Calendar quarter, 1 to 4", "schema": M{"type": "integer", "minimum": 1, "maximum": 4}}},
			"TraumaReturnInput", "200", jsonBody("The saved return", ref("TraumaReturn")), "No such organisation")},
		"/ok9/register": M{"get": M{"operationId": "getOK9Register",
			"summary":  "The national OK9 register (national admins, and the person each organisation names by work email as its OK9 single point of contact): every organisation with its scheme's contact and work email, standing (the rules it fails, with fixes, and what lapses within the policy's warning days), active dogs, handlers who pass the deployment gates, and the calendar year's deployments and mutual aid; organisations with no scheme have has_scheme false",
			"security": bearer,
			"responses": M{"200": jsonBody("The register", object(M{"year": integer, "expiry_warning_days": integer, "organisations": list(ref("OK9RegisterRow"))})),
				"401": errorResponse("No valid token"), "403": errorResponse("Only national admins see the register")}}},
		"/provision/vans": M{
			"get": read("listVanRequests", "The organisation's requests for NPWS wellbeing vans starting in a calendar year, soonest first, with the totals of the delivered visits", []M{org, query("year", "Calendar year; this year by default", integer)},
				jsonBody("The requests", object(M{"organisation_id": integer, "year": integer, "requests": list(ref("VanRequest")), "totals": ref("VanTotals")})), "No such organisation"),
			"post": change("requestVan", "Ask the national team for a wellbeing van (owners, and contributors given the provision section)", nil, "VanRequestInput", "201", jsonBody("The request", ref("VanRequest")), "No such organisation"),
		},
		"/provision/vans/{request}/withdraw": M{"post": M{"operationId": "withdrawVanRequest", "summary": "Withdraw a van request the national team has not yet booked", "security": bearer,
			"parameters": []M{vanParam}, "responses": M{"200": jsonBody("The withdrawn request", ref("VanRequest")), "401": errorResponse("No valid token"),
				"403": errorResponse("The token's owner may not change provision records"), "404": errorResponse("No such request of the organisation"), "409": errorResponse("The request is already booked, delivered, withdrawn or declined")}}},
		"/vans": M{
			"get": M{"operationId": "listVans", "summary": "The NPWS wellbeing van fleet, by name", "security": bearer,
				"responses": M{"200": jsonBody("The fleet", object(M{"vans": list(ref("Van"))})), "401": errorResponse("No valid token")}},
			"post": national("addVan", "Add a van to the fleet (national admins only)", nil, "VanInput", "201", jsonBody("The van", ref("Van"))),
		},
		"/vans/{van}": M{"put": national("changeVan", "Change a van: its name, registration, or whether it is in service (national admins only); a van out of service cannot be booked",
			[]M{idPath("van", "Van id")}, "VanInput", "200", jsonBody("The van", ref("Van")))},
		"/van-requests": M{"get": M{"operationId": "listFleetRequests", "summary": "The fleet's calendar (national admins only): every organisation's van requests starting in a calendar year, soonest first, with the delivered totals",
			"security": bearer, "parameters": []M{query("year", "Calendar year; this year by default", integer)},
			"responses": M{"200": jsonBody("The requests", object(M{"year": integer, "requests": list(ref("VanRequest")), "totals": ref("VanTotals")})),
				"401": errorResponse("No valid token"), "403": errorResponse("Only national admins see the fleet's calendar"), "422": errorResponse("The year is not valid")}}},
		"/van-requests/{request}/schedule": M{"post": national("scheduleVan", "Book a van in service for a request's dates (national admins only). A van already booked on any of those days is refused with 409, naming the booking it clashes with; nothing is saved.",
			[]M{vanParam}, "VanBookingInput", "200", jsonBody("The scheduled request", ref("VanRequest")))},
		"/van-requests/{request}/decline": M{"post": national("declineVan", "Decline a request no van can go to, giving the reason (national admins only)",
			[]M{vanParam}, "VanDeclineInput", "200", jsonBody("The declined request", ref("VanRequest")))},
		"/van-requests/{request}/delivery": M{"post": national("recordVanDelivery", "Record (or correct) what a scheduled visit that has begun delivered, as counts (national admins only); a count below 0 is refused naming the field",
			[]M{vanParam}, "VanDeliveryInput", "200", jsonBody("The delivered request", ref("VanRequest")))},
		"/mutual-aid": M{
			"get": M{"operationId": "listMutualAid", "summary": "The OK9 mutual-aid requests the token's owner may see, open ones first: every one for national admins; otherwise the organisation's own (with every offer and answer) and those it has an offer on that it has not declined (with its own offers only)",
				"security": bearer, "responses": M{"200": jsonBody("The requests", object(M{"requests": list(ref("AidRequest"))})), "401": errorResponse("No valid token")}},
			"post": change("askMutualAid", "Ask the national team for OK9 dogs after a serious incident (owners, and contributors given the provision section)", nil, "AidRequestInput", "201", jsonBody("The request", ref("AidRequest")), "No such organisation"),
		},
		"/mutual-aid/{request}": M{"get": read("getMutualAid",
			"One request the token's owner is party to (the requester, an organisation with an offer it has not declined, or a national admin), with the offers and steps from the audit trail the caller may see (a lender sees only its own offers and their steps, the requester and national admins every offer and answer); for national admins while it is open, the other organisations' dogs that could go: active, assessed, with a trained handler and within the welfare limits for a session a day, with region and proximity, nearest first",
			[]M{requestParam}, jsonBody("The request", object(M{"request": ref("AidRequest"), "timeline": list(ref("AidStep")),
				"candidates": M{"type": "array", "items": ref("AidCandidate"), "description": "National admins only, while the request is open"}})), "No such request the token's owner is party to")},
		"/mutual-aid/{request}/offers": M{"post": M{"operationId": "offerMutualAid", "summary": "Offer one organisation's active dogs to an open request (national admins only)",
			"security": bearer, "parameters": []M{requestParam}, "requestBody": requestBody("AidOfferInput"),
			"responses": M{"201": jsonBody("The offer, waiting for the lending organisation's owner", ref("AidOffer")), "403": errorResponse("Only national admins offer dogs"),
				"404": errorResponse("No such request"), "409": errorResponse("The request is no longer open"), "422": errorResponse("Not dogs of that organisation, not active, or the requester itself; or a field is wrong")}}},
		"/mutual-aid/offers/{offer}": M{"post": M{"operationId": "decideMutualAid",
			"summary":  "The lending organisation's owner accepts or declines an offer. Accepting logs a deployment (kind mutual_aid) for each day of the request in the lender's log and the requester's, each day checked against the welfare limits with the days before it, and the handler checked against the deployment gates; an owner may send override_reason to go beyond the welfare limits.",
			"security": bearer, "parameters": []M{offerParam}, "requestBody": requestBody("AidDecisionInput"),
			"responses": M{"200": jsonBody("The answered offer", ref("AidOffer")), "403": errorResponse("Only the lending organisation's owner answers"),
				"404": errorResponse("No such offer to the token owner's organisation"), "409": errorResponse("The offer was already answered, or the request is closed"), "422": welfare}}},
		"/mutual-aid/{request}/close": M{"post": M{"operationId": "closeMutualAid",
			"summary":  "Close a request: the requesting organisation's owner or provision contributors, or a national admin. The body may be empty or {}.",
			"security": bearer, "parameters": []M{requestParam},
			"responses": M{"200": jsonBody("The closed request", ref("AidRequest")), "403": errorResponse("The token's owner may not close requests"),
				"404": errorResponse("No such request of the token owner's organisation"), "409": errorResponse("Already closed"), "422": errorResponse("A body other than {}")}}},
	}

	kinds := []string{"team_visit", "post_incident_debrief", "defusing", "trim_support", "training_support", "major_incident", "event", "van_outreach", "mutual_aid"}
	schemas = M{
		"ProvisionSummary": object(M{"organisation_id": integer, "organisation": str, "year": integer,
			"workforce":           M{"type": []string{"integer", "null"}, "description": "Officers or operational staff plus other staff for the year; null when not recorded"},
			"indicators":          list(ref("Indicator")),
			"peer_support_return": M{"oneOf": []M{ref("PeerSupportReturn"), {"type": "null"}}},
			"ok9_readiness":       list(ref("ReadinessCheck"))}),
		"Indicator": object(M{"key": str, "label": str, "unit": str,
			"value": M{"type": []string{"number", "null"}, "description": "null when it cannot be worked out; note says why"},
			"note":  M{"type": "string", "description": "Why there is no value, e.g. no workforce figure for the year"}}),
		"ReadinessCheck": object(M{"label": str, "ok": boolean, "detail": str}),
		"OK9Scheme": object(M{"organisation_id": integer, "spoc": str, "spoc_email": str, "sla_signed_on": dateTime, "sop_reviewed_on": dateTime,
			"risk_assessment_reviewed_on": dateTime, "insurance_expires_on": dateTime, "welfare_scheme": str, "welfare_scheme_expires_on": dateTime, "updated_at": dateTime}),
		"OK9SchemeInput": M{"type": "object", "additionalProperties": false, "properties": M{
			"spoc": M{"type": "string", "maxLength": 200, "description": "Single point of contact"}, "sla_signed_on": dateIn, "sop_reviewed_on": dateIn,
			"spoc_email":                  M{"type": "string", "format": "email", "description": "The contact's work email, shown only to national admins and other organisations' OK9 contacts"},
			"risk_assessment_reviewed_on": dateIn, "insurance_expires_on": dateIn,
			"welfare_scheme":            M{"type": "string", "maxLength": 200, "description": "The animal welfare scheme the dogs belong to"},
			"welfare_scheme_expires_on": dateIn}},
		"OK9Dog": object(M{"id": integer, "organisation_id": integer, "call_name": str,
			"status": M{"type": "string", "enum": []string{"training", "active", "retired"}}, "assessment_passed_on": dateTime, "next_welfare_check_on": dateTime}),
		"OK9DogInput": M{"type": "object", "additionalProperties": false, "required": []string{"call_name", "status"}, "properties": M{
			"call_name": M{"type": "string", "maxLength": 60}, "status": M{"type": "string", "enum": []string{"training", "active", "retired"}},
			"assessment_passed_on":  M{"type": []string{"string", "null"}, "format": "date", "description": "Date the dog passed the OK9 suitability assessment; required for an active dog"},
			"next_welfare_check_on": dateIn}},
		"OK9Handler": object(M{"id": integer, "organisation_id": integer, "display_name": str,
			"peer_supporter_trained_on": dateTime, "mhfa_trained_on": dateTime, "refresher_trained_on": dateTime, "status": M{"type": "string", "enum": []string{"active", "inactive"}},
			"suitability_assessed_on": dateTime, "suitability_outcome": M{"type": "string", "enum": []string{"", "passed", "not_passed"}},
			"supervisor_agreed_on": dateTime, "protected_hours_month": integer, "dog_ids": ids}),
		"OK9HandlerInput": M{"type": "object", "additionalProperties": false, "properties": M{
			"display_name":              M{"type": "string", "maxLength": 60, "description": "A display name or collar number, nothing more about the person; optional: left empty, the handler is numbered (Handler 3)"},
			"peer_supporter_trained_on": dateIn, "mhfa_trained_on": M{"type": []string{"string", "null"}, "format": "date", "description": "Date trained as a mental health first aider"},
			"refresher_trained_on":    M{"type": []string{"string", "null"}, "format": "date", "description": "Latest refresher of that training; needs one of the two"},
			"status":                  M{"type": "string", "enum": []string{"active", "inactive"}, "description": "active when left out"},
			"suitability_assessed_on": M{"type": []string{"string", "null"}, "format": "date", "description": "Date of the OK9 suitability assessment with their dog; with suitability_outcome"},
			"suitability_outcome":     M{"type": "string", "enum": []string{"", "passed", "not_passed"}},
			"supervisor_agreed_on":    dateIn, "protected_hours_month": M{"type": "integer", "minimum": 0, "maximum": 200, "description": "Time a month given for the role"},
			"dog_ids": M{"type": "array", "items": integer, "description": "The organisation's dogs the handler works with"}}},
		"OK9Deployment": object(M{"id": integer, "organisation_id": M{"type": "integer", "description": "Whose dogs went"},
			"host_organisation_id": M{"type": []string{"integer", "null"}, "description": "For mutual aid, the organisation that hosted the dogs"},
			"aid_offer_id":         nullableInt, "deployed_on": dateTime, "kind": M{"type": "string", "enum": kinds}, "kind_label": str,
			"handler_id": integer, "dog_ids": ids, "dog_names": list(str), "people_engaged": integer, "minutes": integer, "notes": str,
			"override_reason":      M{"type": "string", "description": "Why it went ahead beyond the welfare limits; empty when within them"},
			"gate_override_reason": M{"type": "string", "description": "Why a national admin let it go ahead though the handler failed a deployment gate; empty otherwise"},
			"created_by":           str, "created_at": dateTime}),
		"OK9DeploymentInput": M{"type": "object", "additionalProperties": false, "required": []string{"deployed_on", "dog_ids", "handler_id", "kind", "minutes"}, "properties": M{
			"deployed_on": requiredDate, "dog_ids": M{"type": "array", "items": integer, "minItems": 1, "description": "The organisation's own active dogs"},
			"handler_id": integer, "kind": M{"type": "string", "enum": kinds[:len(kinds)-1]},
			"people_engaged": M{"type": "integer", "minimum": 0, "maximum": 100000}, "minutes": M{"type": "integer", "minimum": 1, "maximum": 1440},
			"notes":                M{"type": "string", "maxLength": 2000},
			"override_reason":      M{"type": "string", "maxLength": 2000, "description": "Owners only: why the deployment must go ahead beyond the welfare limits"},
			"gate_override_reason": M{"type": "string", "maxLength": 2000, "description": "National admins only: why the handler must be deployed though they fail a deployment gate"}}},
		"WelfareRefusal": object(M{"error": ref("ErrorBody"),
			"breaches":     M{"type": "array", "items": str, "description": "Each welfare limit the deployment would break, dog by dog (only when the limits refused it)"},
			"gates":        M{"type": "array", "items": ref("GateFailure"), "description": "Each OK9 rule the handler or scheme fails, with its fix (only when a gate refused it)"},
			"may_override": M{"type": "boolean", "description": "Whether the token's owner could go ahead: with override_reason for the welfare limits (owners), gate_override_reason or an offer's override_reason for a gate (national admins)"}}),
		"OK9RegisterRow": object(M{"organisation": object(M{"id": integer, "slug": str, "name": str, "sector": str, "nation": str, "region": str, "peer_group": str}),
			"has_scheme": boolean, "spoc": str, "spoc_email": str, "in_standing": boolean, "standing_failures": list(ref("GateFailure")),
			"expiring":    list(object(M{"label": str, "lapses_on": M{"type": "string", "format": "date-time"}})),
			"active_dogs": integer, "handlers_ready": M{"type": "integer", "description": "Active handlers who pass every deployment gate"},
			"deployments":      M{"type": "integer", "description": "Deployments of the organisation's own dogs in the calendar year, mutual aid apart"},
			"mutual_aid_lent":  M{"type": "integer", "description": "Mutual-aid offers the organisation accepted in the year (each loan once, however many days)"},
			"mutual_aid_asked": M{"type": "integer", "description": "Mutual-aid requests the organisation made in the year"}}),
		"GateFailure": object(M{"rule": M{"type": "string", "description": "The rule, with the interval the YAML policy sets"}, "fix": M{"type": "string", "description": "What would put it right"}}),
		"TraumaReturn": object(M{"organisation_id": integer, "year": integer, "quarter": integer, "incidents": integer, "planning_meetings": integer,
			"risk_assessments": integer, "reviews": integer, "defusings": integer, "demobilisations": integer, "estims": integer, "referrals_oh": integer,
			"referrals_psych": integer, "practitioners_trained": integer, "team_leaders_trained": integer, "managers_trained": integer, "updated_by": str, "updated_at": dateTime}),
		"TraumaReturnInput": M{"type": "object", "additionalProperties": false,
			"description": "Counts only. Each is from 0 to the organisation's workforce for the year (the nearest earlier year's if none); planning_meetings no more than incidents, reviews no more than risk_assessments",
			"required": []string{"incidents", "planning_meetings", "risk_assessments", "reviews", "defusings", "demobilisations", "estims", "referrals_oh", "referrals_psych",
				"practitioners_trained", "team_leaders_trained", "managers_trained"},
			"properties": M{"incidents": M{"type": "integer", "minimum": 0, "description": "Incidents that triggered the trauma process"},
				"planning_meetings": M{"type": "integer", "minimum": 0, "description": "Planning meetings held within 48 hours"},
				"risk_assessments":  M{"type": "integer", "minimum": 0, "description": "TRiM risk assessments, about 72 hours after"},
				"reviews":           M{"type": "integer", "minimum": 0, "description": "TRiM reviews, about 28 days after"},
				"defusings":         count, "demobilisations": count, "estims": M{"type": "integer", "minimum": 0, "description": "Trauma intervention meetings with clinical oversight"},
				"referrals_oh": M{"type": "integer", "minimum": 0, "description": "Onward referrals to occupational health"}, "referrals_psych": M{"type": "integer", "minimum": 0, "description": "Onward referrals to psychological services"},
				"practitioners_trained": count, "team_leaders_trained": count, "managers_trained": count}},
		"PeerSupportReturn": object(M{"organisation_id": integer, "year": integer, "coordinator_in_post": boolean, "coordinator_full_time": boolean,
			"oh_clinician_trained": boolean, "peer_supporters": integer, "peer_champions": integer, "peer_coordinators": integer, "trained_trainers": integer,
			"demob_defusing_trained": integer, "trim_practitioners": integer, "estip_lead": boolean, "supervision_in_place": boolean,
			"confidentiality_in_place": boolean, "contacts": integer, "updated_by": str, "updated_at": dateTime,
			"walk_the_talk_attended": nullableCount("People who attended the Walk the Talk train-the-trainer course in the year; null is not recorded"),
			"trainers_delivering":    nullableCount("Trained trainers delivering training locally; null is not recorded"),
			"demob_course_places":    nullableCount("Demobilising and defusing course places taken in the year; null is not recorded"),
			"supervision_sessions":   nullableCount("Supervision sessions held for peer supporters in the year; null is not recorded"),
			"supporters_supervised":  nullableCount("Peer supporters who had supervision in the year; null is not recorded")}),
		"PeerSupportReturnInput": M{"type": "object", "additionalProperties": false,
			"required": []string{"coordinator_in_post", "oh_clinician_trained", "estip_lead", "supervision_in_place", "confidentiality_in_place",
				"peer_supporters", "peer_champions", "peer_coordinators", "trained_trainers", "demob_defusing_trained", "trim_practitioners", "contacts"},
			"properties": M{"coordinator_in_post": boolean, "coordinator_full_time": M{"type": "boolean", "description": "Required when coordinator_in_post is true, and only true then; false when left out"},
				"oh_clinician_trained": M{"type": "boolean", "description": "An occupational health clinician is trained in the peer support model"},
				"estip_lead":           boolean, "supervision_in_place": boolean,
				"confidentiality_in_place": M{"type": "boolean", "description": "Confidentiality and disclosure arrangements are in place"},
				"peer_supporters":          count, "peer_champions": count, "peer_coordinators": count, "trained_trainers": count,
				"demob_defusing_trained": count, "trim_practitioners": count, "contacts": M{"type": "integer", "minimum": 0, "maximum": 1000000, "description": "Peer support contacts in the year"},
				// Optional: left out or null is "not recorded". Counts of people
				// over the workforce (when one is recorded) are refused.
				"walk_the_talk_attended": nullableCount("Optional. People who attended the Walk the Talk train-the-trainer course in the year; no more than the workforce"),
				"trainers_delivering":    nullableCount("Optional. Trained trainers delivering training locally; no more than trained_trainers"),
				"demob_course_places":    nullableCount("Optional. Demobilising and defusing course places taken in the year; no more than the workforce"),
				"supervision_sessions":   nullableCount("Optional. Supervision sessions held for peer supporters in the year"),
				"supporters_supervised":  nullableCount("Optional. Peer supporters who had supervision in the year; no more than peer_supporters")}},
		"Van": object(M{"id": integer, "name": str, "registration": str, "in_service": boolean, "created_at": dateTime}),
		"VanInput": M{"type": "object", "additionalProperties": false, "required": []string{"name", "in_service"}, "properties": M{
			"name": M{"type": "string", "maxLength": 60}, "registration": M{"type": "string", "maxLength": 20}, "in_service": boolean}},
		"VanRequest": object(M{"id": integer, "organisation_id": integer, "kind": M{"type": "string", "enum": []string{"major_event", "critical_incident", "hotspot"}},
			"starts_on": dateTime, "ends_on": dateTime, "place": str, "expected_attendance": integer, "contact": str,
			"state":  M{"type": "string", "enum": []string{"requested", "scheduled", "delivered", "withdrawn", "declined"}},
			"van_id": nullableInt, "health_checks": integer, "fatigue_assessments": integer, "trauma_support": integer, "wellbeing_advice": integer, "referrals": integer,
			"partners": M{"type": "string", "description": "Partner organisations on board, comma separated"}, "decline_reason": str,
			"created_by": str, "created_at": dateTime, "updated_by": str, "updated_at": dateTime}),
		"VanTotals": object(M{"visits": integer, "health_checks": integer, "fatigue_assessments": integer, "trauma_support": integer, "wellbeing_advice": integer,
			"referrals": integer, "partners_on_board": M{"type": "integer", "description": "Partner organisations on board, counted once per visit"}}),
		"VanRequestInput": M{"type": "object", "additionalProperties": false, "required": []string{"kind", "starts_on", "ends_on", "place", "expected_attendance", "contact"}, "properties": M{
			"kind": M{"type": "string", "enum": []string{"major_event", "critical_incident", "hotspot"}}, "starts_on": requiredDate,
			"ends_on": M{"type": "string", "format": "date", "description": "On or after starts_on, within 30 days of it"},
			"place":   M{"type": "string", "maxLength": 200}, "expected_attendance": count, "contact": M{"type": "string", "maxLength": 200}}},
		"VanBookingInput": M{"type": "object", "additionalProperties": false, "required": []string{"van_id"}, "properties": M{"van_id": integer}},
		"VanDeclineInput": M{"type": "object", "additionalProperties": false, "required": []string{"reason"}, "properties": M{"reason": M{"type": "string", "maxLength": 1000}}},
		"VanDeliveryInput": M{"type": "object", "additionalProperties": false, "required": []string{"health_checks", "fatigue_assessments", "trauma_support", "wellbeing_advice", "referrals"}, "properties": M{
			"health_checks": M{"type": "integer", "minimum": 0, "maximum": 1000000, "description": "Physical health checks"}, "fatigue_assessments": count,
			"trauma_support":   M{"type": "integer", "minimum": 0, "maximum": 1000000, "description": "Trauma support conversations"},
			"wellbeing_advice": M{"type": "integer", "minimum": 0, "maximum": 1000000, "description": "Wellbeing advice conversations"}, "referrals": count,
			"partners": M{"type": "string", "maxLength": 500, "description": "Partner organisations on board, comma separated"}}},
		"AidRequest": object(M{"id": integer, "organisation_id": M{"type": "integer", "description": "The organisation asking"}, "requester": str,
			"incident": str, "location": str, "starts_on": dateTime, "ends_on": dateTime, "dogs_needed": integer, "dogs_accepted": integer,
			"status": M{"type": "string", "enum": []string{"open", "agreed", "closed"}}, "created_by": str, "created_at": dateTime, "offers": list(ref("AidOffer"))}),
		"AidOffer": object(M{"id": integer, "request_id": integer, "organisation_id": M{"type": "integer", "description": "The organisation that would lend"},
			"lender": str, "dog_ids": ids, "dog_names": list(str), "status": M{"type": "string", "enum": []string{"offered", "accepted", "declined"}},
			"offered_by": str, "offered_at": dateTime, "decided_by": str, "decided_at": dateTime, "decline_reason": str,
			"override_reason": M{"type": "string", "description": "Why a national admin offered the dogs though the lender's scheme was not in good standing"}}),
		"AidStep": object(M{"at": dateTime, "who": str, "what": str,
			"action": M{"type": "string", "enum": []string{"ok9.aid.request", "ok9.aid.offer", "ok9.aid.accepted", "ok9.aid.declined", "ok9.aid.close"}}}),
		"AidCandidate": object(M{"dog": ref("OK9Dog"),
			"organisation":      object(M{"id": integer, "name": str, "nation": str, "region": str}),
			"proximity":         M{"type": "string", "enum": []string{"same region", "same nation", "elsewhere"}},
			"trained_handlers":  M{"type": "integer", "description": "Handlers of the dog who pass the deployment gates (active, training in date, suitability assessment passed)"},
			"can_go":            M{"type": "boolean", "description": "Not blocked and the lender's scheme in good standing"},
			"blocked":           M{"type": "string", "description": "Why the dog cannot go at all (no handler who passes the gates, or the welfare limits)"},
			"standing_failures": M{"type": "array", "items": ref("GateFailure"), "description": "Standing rules the lender's scheme or the dog's welfare check fail: an offer then needs override_reason"}}),
		"AidRequestInput": M{"type": "object", "additionalProperties": false, "required": []string{"incident", "location", "starts_on", "ends_on", "dogs_needed"}, "properties": M{
			"incident": M{"type": "string", "maxLength": 2000, "description": "What happened"}, "location": M{"type": "string", "maxLength": 200},
			"starts_on": requiredDate, "ends_on": M{"type": "string", "format": "date", "description": "On or after starts_on and within 30 days of it"},
			"dogs_needed": M{"type": "integer", "minimum": 1, "maximum": 50}}},
		"AidOfferInput": M{"type": "object", "additionalProperties": false, "required": []string{"organisation_id", "dog_ids"}, "properties": M{
			"organisation_id": integer, "dog_ids": M{"type": "array", "items": integer, "minItems": 1},
			"override_reason": M{"type": "string", "maxLength": 2000, "description": "Why the dogs go though the lender's scheme is not in good standing; kept in the audit trail"}}},
		"AidDecisionInput": M{"type": "object", "additionalProperties": false, "required": []string{"decision"}, "properties": M{
			"decision":        M{"type": "string", "enum": []string{"accept", "decline"}},
			"handler_id":      M{"type": "integer", "description": "To accept: the lender's handler who goes with the dogs"},
			"minutes":         M{"type": "integer", "minimum": 1, "maximum": 1440, "description": "To accept: planned working time on each day of the request"},
			"override_reason": M{"type": "string", "maxLength": 2000, "description": "To accept beyond the welfare limits: why it must go ahead"},
			"decline_reason":  M{"type": "string", "maxLength": 1000, "description": "To decline: why the dogs cannot go"}}},
	}
	return paths, schemas
}
