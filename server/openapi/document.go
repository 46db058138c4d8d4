// Package openapi is the description of the toolkit's JSON API, served at
// /api/v1/openapi.json.
package openapi

import (
	"maps"
)

// M is one object of the document.
type M = map[string]any

// Document describes /api/v1 in OpenAPI 3.1. A test checks that every
// /api/v1 route the app registers appears here, so keep it in step.
func Document(version string) M {
	ref := func(name string) M { return M{"$ref": "#/components/schemas/" + name} }
	jsonBody := func(description string, schema M) M {
		return M{"description": description, "content": M{"application/json": M{"schema": schema}}}
	}
	errorResponse := func(description string) M { return jsonBody(description, ref("Error")) }
	pathParam := func(name, description string) M {
		return M{"name": name, "in": "path", "required": true, "description": description, "schema": M{"type": "string"}}
	}
	str := M{"type": "string"}
	integer := M{"type": "integer"}
	nullableInt := M{"type": []string{"integer", "null"}}
	dateTime := M{"type": []string{"string", "null"}, "format": "date-time"}
	// A screening or referral count: a number, or "fewer than 5" for a
	// token whose owner may not edit the register.
	shown := M{"oneOf": []M{{"type": "integer"}, {"type": "string", "enum": []string{"fewer than 5"}}}}
	bearer := []M{{"bearerAuth": []string{}}}
	orgParam := M{"name": "org", "in": "query", "required": false, "description": "Organisation id (national admins only)", "schema": integer}
	idParam := M{"name": "id", "in": "path", "required": true, "description": "Assessment id", "schema": integer}
	doc := M{
		"openapi": "3.1.0",
		"info": M{
			"title":       "Blue Light Wellbeing Toolkit API",
			"version":     version,
			"description": "Read the framework editions, crosswalks and psychological risk models this service has loaded; with an API token, work on an organisation's self-assessment, role risk register, OK9, peer support and wellbeing van provision, and national OK9 mutual aid, by the same rules as the app.",
		},
		"servers": []M{{"url": "/api/v1"}},
		"paths": M{
			"/openapi.json": M{"get": M{
				"operationId": "getOpenAPI",
				"summary":     "This document",
				"responses":   M{"200": jsonBody("The OpenAPI document", M{"type": "object"})},
			}},
			"/me": M{"get": M{
				"operationId": "getMe",
				"summary":     "The person the API token belongs to, with their role and organisation",
				"security":    []M{{"bearerAuth": []string{}}},
				"responses": M{
					"200": jsonBody("The token's owner", ref("Me")),
					"401": errorResponse("No token, or a revoked or unknown one"),
				},
			}},
			"/assessments": M{"get": M{
				"operationId": "listAssessments",
				"summary":     "The self-assessments the token's owner may see: their organisation's, or every one for a national admin",
				"security":    bearer,
				"responses": M{
					"200": jsonBody("Assessments, newest cycle first", M{"type": "object", "properties": M{"assessments": M{"type": "array", "items": ref("Assessment")}}}),
					"401": errorResponse("No valid token"),
				},
			}},
			"/assessments/{id}": M{"get": M{
				"operationId": "getAssessment",
				"summary":     "One assessment with its cycle, every response in framework order, and the improvement actions",
				"security":    bearer,
				"parameters":  []M{idParam},
				"responses": M{
					"200": jsonBody("The assessment", M{"type": "object", "properties": M{
						"assessment": ref("Assessment"), "cycle": ref("Cycle"),
						"responses": M{"type": "array", "items": ref("Response")},
						"actions":   M{"type": "array", "items": ref("Action")},
					}}),
					"404": errorResponse("No such assessment in the token owner's organisation"),
				},
			}},
			"/assessments/{id}/responses/{sid}": M{"put": M{
				"operationId": "saveResponse",
				"summary":     "Set the answer to one standard. Send the version you read; if someone saved since, the answer is refused with 409 and the current one.",
				"security":    bearer,
				"parameters":  []M{idParam, pathParam("sid", "Standard id, e.g. LEAD-01")},
				"requestBody": M{"required": true, "content": M{"application/json": M{"schema": ref("Answer")}}},
				"responses": M{
					"200": jsonBody("The saved response", ref("Response")),
					"403": errorResponse("The token's owner may not change this standard, or the assessment is submitted"),
					"404": errorResponse("No such assessment or standard"),
					"409": jsonBody("Someone saved this standard since the version sent", M{"type": "object", "properties": M{"error": ref("ErrorBody"), "current": ref("Response")}}),
					"422": errorResponse("The answer breaks a rule, e.g. a level not on the scale"),
				},
			}},
			"/assessments/{id}/standards/{sid}/evidence": M{"get": M{
				"operationId": "suggestedEvidence",
				"summary":     "The organisation's own records offered as evidence for one standard, by its tags (ok9, peer-support, trauma-support, psychological-screening), the same lines the standard page offers; counts from 1 to 4 about people read \"fewer than 5\". Add a line's `line` to the answer's evidence to cite it.",
				"security":    bearer,
				"parameters":  []M{idParam, pathParam("sid", "Standard id, e.g. PROT-02")},
				"responses": M{
					"200": jsonBody("The lines, none for a standard without those tags", M{"type": "object", "properties": M{"evidence": M{"type": "array", "items": M{
						"type": "object", "required": []string{"text", "source", "as_at", "line"},
						"properties": M{
							"text":   M{"type": "string", "description": "What the record says"},
							"source": M{"type": "string", "description": "Where it comes from, e.g. \"quarterly TRiM returns for calendar year 2026\""},
							"as_at":  M{"type": "string", "format": "date-time", "description": "The day the record stood (midnight UTC)"},
							"line":   M{"type": "string", "description": "The text with its source and date, as \"Add to evidence\" adds it"},
						}}}}}),
					"401": errorResponse("No valid token"),
					"404": errorResponse("No such assessment or standard"),
				},
			}},
			"/assessments/{id}/submit": M{"post": M{
				"operationId": "submitAssessment",
				"summary":     "Submit a complete assessment with the sign-off (organisation owners only)",
				"security":    bearer,
				"parameters":  []M{idParam},
				"requestBody": M{"required": true, "content": M{"application/json": M{"schema": M{
					"type": "object", "required": []string{"signed_off_name", "signed_off_role"}, "additionalProperties": false,
					"properties": M{"signed_off_name": str, "signed_off_role": str},
				}}}},
				"responses": M{
					"200": jsonBody("The submitted assessment", ref("Assessment")),
					"403": errorResponse("Only the organisation's owner can submit"),
					"422": jsonBody("Not complete: what is missing", M{"type": "object", "properties": M{"error": ref("ErrorBody"), "missing": M{"type": "array", "items": str}}}),
				},
			}},
			"/risk/roles": M{"get": M{
				"operationId": "listRoleRisk",
				"summary":     "The role risk register: the current assessment of every assessed role of the token owner's organisation (national admins name one with ?org=)",
				"security":    bearer,
				"parameters":  []M{orgParam},
				"responses": M{
					"200": jsonBody("The register", M{"type": "object", "properties": M{"organisation_id": integer, "roles": M{"type": "array", "items": ref("RoleAssessment")},
						"drafts": M{"type": "array", "description": "Roles whose review is saved part way and not signed off; in none of the figures", "items": ref("RoleDraft")}}}),
					"404": errorResponse("No such organisation for the token's owner"),
				},
			}},
			"/risk/roles/{rid}": M{"post": M{
				"operationId": "saveRoleRisk",
				"summary":     "Record a new version of a role's assessment (owners and contributors given the register). Residual ratings (unless overridden with a rationale), the band and the review and screening dates are worked out from the risk model.",
				"security":    bearer,
				"parameters":  []M{pathParam("rid", "Role id from the risk model, or a local role's id"), orgParam},
				"requestBody": M{"required": true, "content": M{"application/json": M{"schema": ref("RoleInput")}}},
				"responses": M{
					"201": jsonBody("The saved version", ref("RoleAssessment")),
					"403": errorResponse("The token's owner may not change the register"),
					"404": errorResponse("No such role"),
					"422": errorResponse("Every problem with the input, each naming its place"),
				},
			}, "get": M{
				"operationId": "getRoleRisk",
				"summary":     "Every version of one role's assessment, newest first, with hazards and controls",
				"security":    bearer,
				"parameters":  []M{pathParam("rid", "Role id from the risk model, e.g. RL-01"), orgParam},
				"responses": M{
					"200": jsonBody("The versions", M{"type": "object", "properties": M{"versions": M{"type": "array", "items": ref("RoleAssessment")}}}),
					"404": errorResponse("The role has not been assessed"),
				},
			}},
			"/risk/roles/{rid}/draft": M{"put": M{
				"operationId": "saveRoleRiskDraft",
				"summary":     "Save a role's review part way, as a draft (owners and contributors given the register). It replaces the role's earlier draft, counts in no figure, and is removed when the complete review is signed off (POST /risk/roles/{rid}).",
				"security":    bearer,
				"parameters":  []M{pathParam("rid", "Role id from the risk model, or a local role's id"), orgParam},
				"requestBody": M{"required": true, "content": M{"application/json": M{"schema": M{"type": "object",
					"description": "The fields of RoleInput, none required: a level of 0 or a control with no status is not yet chosen, and no rationale or signed_off_by is needed yet. A value given and wrong (off the scale, a control that does not act on the hazard, a count over the headcount) is refused as at sign-off."}}}},
				"responses": M{
					"200": jsonBody("The saved draft", ref("RoleDraft")),
					"403": errorResponse("The token's owner may not change the register"),
					"404": errorResponse("No such role"),
					"422": errorResponse("Every problem with the values given, each naming its place"),
				},
			}, "get": M{
				"operationId": "getRoleRiskDraft",
				"summary":     "The draft of a role's review, as saved (owners and contributors given the register)",
				"security":    bearer,
				"parameters":  []M{pathParam("rid", "Role id from the risk model, or a local role's id"), orgParam},
				"responses": M{
					"200": jsonBody("The draft", ref("RoleDraft")),
					"403": errorResponse("The token's owner may not change the register"),
					"404": errorResponse("The role has no draft"),
				},
			}},
			"/frameworks": M{"get": M{
				"operationId": "listFrameworks",
				"summary":     "Every loaded framework edition, crosswalk and risk model",
				"responses": M{"200": jsonBody("The loaded editions", M{
					"type":       "object",
					"required":   []string{"editions"},
					"properties": M{"editions": M{"type": "array", "items": ref("EditionSummary")}},
				})},
			}},
			"/frameworks/{key}/{version}": M{"get": M{
				"operationId": "getFramework",
				"summary":     "One edition with its full content",
				"parameters":  []M{pathParam("key", "Edition key, e.g. blwf"), pathParam("version", "Edition version, e.g. 2024")},
				"responses": M{
					"200": jsonBody("The edition and its content (a framework, crosswalk or risk model, by kind)", M{
						"type":       "object",
						"required":   []string{"edition", "content"},
						"properties": M{"edition": ref("EditionSummary"), "content": M{"type": "object"}},
					}),
					"404": errorResponse("No such edition is loaded"),
				},
			}},
		},
		"components": M{
			"securitySchemes": M{"bearerAuth": M{
				"type": "http", "scheme": "bearer",
				"description": "An API token created on the API tokens page. It acts as the person who created it, with their role and organisation.",
			}},
			"schemas": M{
				"Cycle": M{"type": "object", "properties": M{
					"id": integer, "name": str, "framework_key": str, "framework_version": str,
					"opens_on": dateTime, "closes_on": dateTime, "status": M{"type": "string", "enum": []string{"open", "closed"}},
				}},
				"Assessment": M{"type": "object", "properties": M{
					"id": integer, "organisation_id": integer, "cycle_id": integer,
					"framework_key": str, "framework_version": str, "framework_sha256": str,
					"status":          M{"type": "string", "enum": []string{"draft", "submitted", "returned", "validated"}},
					"carried_from_id": nullableInt, "signed_off_name": str, "signed_off_role": str, "signed_off_at": dateTime,
					"submitted_at": dateTime, "returned_comment": str, "validated_at": dateTime, "peer_review_requested_at": dateTime, "created_at": dateTime,
				}},
				"Response": M{"type": "object", "properties": M{
					"standard_id": str, "level": nullableInt, "target": nullableInt, "evidence": str, "links": str,
					"carried_forward": M{"type": "boolean", "description": "Carried from last cycle and not yet confirmed"},
					"review_note":     str, "version": integer, "updated_by": str, "updated_at": dateTime,
				}},
				"Answer": M{"type": "object", "required": []string{"level", "version"}, "additionalProperties": false, "properties": M{
					"level": M{"type": "integer", "description": "A level on the edition's maturity scale"}, "target": nullableInt,
					"evidence": str, "links": M{"type": "string", "description": "One link or reference per line"}, "version": integer,
				}},
				"RoleInput": M{"type": "object", "additionalProperties": false, "required": []string{"headcount", "signed_off_by", "hazards"}, "properties": M{
					"teams": str, "headcount": integer, "exposed_headcount": integer, "people_screened": integer, "structured_interviews": integer, "referrals": integer, "signed_off_by": str,
					"hazards": M{"type": "array", "items": M{"type": "object", "additionalProperties": false, "required": []string{"hazard_id", "likelihood", "severity"}, "properties": M{
						"hazard_id": str, "likelihood": integer, "severity": integer, "rationale": str,
						"controls": M{"type": "array", "items": M{"type": "object", "additionalProperties": false, "properties": M{
							"control_id": str, "local_name": str, "status": M{"type": "string", "enum": []string{"planned", "partly in place", "in place"}},
							"owner": str, "due_on": dateTime, "likelihood_reduction": integer, "severity_reduction": integer,
						}}},
						"residual_override": M{"type": "object", "additionalProperties": false, "properties": M{"likelihood": integer, "severity": integer, "rationale": str}},
					}}},
					"cohorts": M{"type": "array", "description": "Screening per cohort, as counts: the role's own cohorts (initial, periodic and referral for a screening programme; referral for any other role), each once. Counts may not exceed the headcount, screened may not exceed people_due, and the outcomes may not add up to more than screened.",
						"items": M{"type": "object", "additionalProperties": false, "required": []string{"cohort", "people_due"}, "properties": M{
							"cohort": M{"type": "string", "enum": []string{"initial", "periodic", "referral"}}, "people_due": integer, "screened": integer,
							"no_further_action": integer, "further_assessment": integer, "referred": integer,
							"last_screened_on": M{"type": []string{"string", "null"}, "description": "Periodic cohort only: the day the last round finished, e.g. 2026-10-31; the next falls due from it at the sooner of the role's cadence and the band's interval"},
						}}},
					"blank_counts": M{"type": "array", "items": str, "description": "Drafts only: the counts left blank (headcount, cohorts[0].people_due...), which read as 0 but are shown blank again; ignored when signing off"},
				}},
				"RoleDraft": M{"type": "object", "properties": M{
					"organisation_id": integer, "role_id": str, "model_key": str, "model_version": str,
					"status":   M{"type": "string", "enum": []string{"draft"}, "description": "Not signed off"},
					"saved_by": str, "saved_at": dateTime,
					"review": M{"type": "object", "description": "The review as saved (RoleInput's fields); absent from the register's list"},
				}},
				"RoleAssessment": M{"type": "object", "properties": M{
					"id": integer, "organisation_id": integer, "role_id": str, "version": integer, "current": M{"type": "boolean"},
					"model_key": str, "model_version": str, "model_sha256": str,
					"headcount": integer, "exposed_headcount": integer, "people_screened": shown, "structured_interviews": shown, "referrals": shown,
					"group": M{"type": "string", "enum": []string{"first-responder", "specialist", "disaster-response"}, "description": "The trauma guidance's group of the role, from its edition (absent for local roles and 2026.1)"},
					"cohorts": M{"type": "array", "items": M{"type": "object", "properties": M{
						"cohort": M{"type": "string", "enum": []string{"initial", "periodic", "referral"}}, "people_due": shown, "screened": shown,
						"no_further_action": shown, "further_assessment": shown, "referred": shown, "last_screened_on": dateTime,
						"due_on": M{"type": []string{"string", "null"}, "format": "date-time", "description": "When the cohort's screening falls due; null when nobody is outstanding"},
					}}},
					"overall_band": str, "reviewed_on": dateTime, "next_review_on": dateTime, "next_screening_on": dateTime, "signed_off_by": str,
					"hazards": M{"type": "array", "items": M{"type": "object", "properties": M{
						"hazard_id": str, "inherent_likelihood": integer, "inherent_severity": integer, "rationale": str,
						"residual_likelihood": integer, "residual_severity": integer, "override_rationale": str,
						"controls": M{"type": "array", "items": M{"type": "object", "properties": M{
							"control_id": str, "local_name": str, "status": str, "owner": str, "due_on": dateTime,
							"likelihood_reduction": integer, "severity_reduction": integer,
						}}},
					}}},
				}},
				"Action": M{"type": "object", "properties": M{
					"id": integer, "standard_id": str, "what": str, "owner": str, "due_on": dateTime,
					"status": M{"type": "string", "enum": []string{"planned", "in progress", "done"}},
				}},
				"Me": M{
					"type":     "object",
					"required": []string{"id", "email", "name", "role"},
					"properties": M{
						"id":              M{"type": "integer"},
						"email":           str,
						"name":            str,
						"role":            M{"type": "string", "enum": []string{"national_admin", "owner", "contributor", "viewer"}},
						"organisation_id": M{"type": []string{"integer", "null"}},
						"sections":        M{"type": "array", "items": str},
					},
				},
				"EditionSummary": M{
					"type":     "object",
					"required": []string{"kind", "key", "version", "title", "status", "sha256", "counts"},
					"properties": M{
						"kind":    M{"type": "string", "enum": []string{"framework", "crosswalk", "risk-model"}},
						"key":     str,
						"version": str,
						"title":   str,
						"status":  M{"type": "string", "enum": []string{"draft", "released"}},
						"sha256":  M{"type": "string", "description": "SHA-256 of the edition file, hex"},
						"counts":  M{"type": "object", "additionalProperties": M{"type": "integer"}},
					},
				},
				"Error": M{
					"type":       "object",
					"required":   []string{"error"},
					"properties": M{"error": ref("ErrorBody")},
				},
				"ErrorBody": M{
					"type":     "object",
					"required": []string{"code", "message"},
					"properties": M{
						"code":       M{"type": "string", "enum": []string{"not_found", "conflict", "invalid", "unauthorized", "forbidden", "internal"}},
						"message":    str,
						"request_id": str,
					},
				},
			}},
	}
	for _, part := range []func() (M, M){provisionOpenAPI, reportsOpenAPI} {
		paths, schemas := part()
		maps.Copy(doc["paths"].(M), paths)
		maps.Copy(doc["components"].(M)["schemas"].(M), schemas)
	}
	return doc
}
