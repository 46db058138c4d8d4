package server

import (
	"maps"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument describes /api/v1 in OpenAPI 3.1. A test checks that every
// /api/v1 route the app registers appears here, so keep it in step.
func openAPIDocument(version string) fiber.Map {
	ref := func(name string) fiber.Map { return fiber.Map{"$ref": "#/components/schemas/" + name} }
	jsonBody := func(description string, schema fiber.Map) fiber.Map {
		return fiber.Map{"description": description, "content": fiber.Map{"application/json": fiber.Map{"schema": schema}}}
	}
	errorResponse := func(description string) fiber.Map { return jsonBody(description, ref("Error")) }
	pathParam := func(name, description string) fiber.Map {
		return fiber.Map{"name": name, "in": "path", "required": true, "description": description, "schema": fiber.Map{"type": "string"}}
	}
	str := fiber.Map{"type": "string"}
	integer := fiber.Map{"type": "integer"}
	nullableInt := fiber.Map{"type": []string{"integer", "null"}}
	dateTime := fiber.Map{"type": []string{"string", "null"}, "format": "date-time"}
	bearer := []fiber.Map{{"bearerAuth": []string{}}}
	orgParam := fiber.Map{"name": "org", "in": "query", "required": false, "description": "Organisation id (national admins only)", "schema": integer}
	idParam := fiber.Map{"name": "id", "in": "path", "required": true, "description": "Assessment id", "schema": integer}
	doc := fiber.Map{
		"openapi": "3.1.0",
		"info": fiber.Map{
			"title":       "Blue Light Wellbeing Toolkit API",
			"version":     version,
			"description": "Read the framework editions, crosswalks and psychological risk models this service has loaded; with an API token, work on an organisation's self-assessment, role risk register, OK9, peer support and wellbeing van provision, and national OK9 mutual aid, by the same rules as the app.",
		},
		"servers": []fiber.Map{{"url": "/api/v1"}},
		"paths": fiber.Map{
			"/openapi.json": fiber.Map{"get": fiber.Map{
				"operationId": "getOpenAPI",
				"summary":     "This document",
				"responses":   fiber.Map{"200": jsonBody("The OpenAPI document", fiber.Map{"type": "object"})},
			}},
			"/me": fiber.Map{"get": fiber.Map{
				"operationId": "getMe",
				"summary":     "The person the API token belongs to, with their role and organisation",
				"security":    []fiber.Map{{"bearerAuth": []string{}}},
				"responses": fiber.Map{
					"200": jsonBody("The token's owner", ref("Me")),
					"401": errorResponse("No token, or a revoked or unknown one"),
				},
			}},
			"/assessments": fiber.Map{"get": fiber.Map{
				"operationId": "listAssessments",
				"summary":     "The self-assessments the token's owner may see: their organisation's, or every one for a national admin",
				"security":    bearer,
				"responses": fiber.Map{
					"200": jsonBody("Assessments, newest cycle first", fiber.Map{"type": "object", "properties": fiber.Map{"assessments": fiber.Map{"type": "array", "items": ref("Assessment")}}}),
					"401": errorResponse("No valid token"),
				},
			}},
			"/assessments/{id}": fiber.Map{"get": fiber.Map{
				"operationId": "getAssessment",
				"summary":     "One assessment with its cycle, every response in framework order, and the improvement actions",
				"security":    bearer,
				"parameters":  []fiber.Map{idParam},
				"responses": fiber.Map{
					"200": jsonBody("The assessment", fiber.Map{"type": "object", "properties": fiber.Map{
						"assessment": ref("Assessment"), "cycle": ref("Cycle"),
						"responses": fiber.Map{"type": "array", "items": ref("Response")},
						"actions":   fiber.Map{"type": "array", "items": ref("Action")},
					}}),
					"404": errorResponse("No such assessment in the token owner's organisation"),
				},
			}},
			"/assessments/{id}/responses/{sid}": fiber.Map{"put": fiber.Map{
				"operationId": "saveResponse",
				"summary":     "Set the answer to one standard. Send the version you read; if someone saved since, the answer is refused with 409 and the current one.",
				"security":    bearer,
				"parameters":  []fiber.Map{idParam, pathParam("sid", "Standard id, e.g. LEAD-01")},
				"requestBody": fiber.Map{"required": true, "content": fiber.Map{"application/json": fiber.Map{"schema": ref("Answer")}}},
				"responses": fiber.Map{
					"200": jsonBody("The saved response", ref("Response")),
					"403": errorResponse("The token's owner may not change this standard, or the assessment is submitted"),
					"404": errorResponse("No such assessment or standard"),
					"409": jsonBody("Someone saved this standard since the version sent", fiber.Map{"type": "object", "properties": fiber.Map{"error": ref("ErrorBody"), "current": ref("Response")}}),
					"422": errorResponse("The answer breaks a rule, e.g. a level not on the scale"),
				},
			}},
			"/assessments/{id}/submit": fiber.Map{"post": fiber.Map{
				"operationId": "submitAssessment",
				"summary":     "Submit a complete assessment with the sign-off (organisation owners only)",
				"security":    bearer,
				"parameters":  []fiber.Map{idParam},
				"requestBody": fiber.Map{"required": true, "content": fiber.Map{"application/json": fiber.Map{"schema": fiber.Map{
					"type": "object", "required": []string{"signed_off_name", "signed_off_role"}, "additionalProperties": false,
					"properties": fiber.Map{"signed_off_name": str, "signed_off_role": str},
				}}}},
				"responses": fiber.Map{
					"200": jsonBody("The submitted assessment", ref("Assessment")),
					"403": errorResponse("Only the organisation's owner can submit"),
					"422": jsonBody("Not complete: what is missing", fiber.Map{"type": "object", "properties": fiber.Map{"error": ref("ErrorBody"), "missing": fiber.Map{"type": "array", "items": str}}}),
				},
			}},
			"/risk/roles": fiber.Map{"get": fiber.Map{
				"operationId": "listRoleRisk",
				"summary":     "The role risk register: the current assessment of every assessed role of the token owner's organisation (national admins name one with ?org=)",
				"security":    bearer,
				"parameters":  []fiber.Map{orgParam},
				"responses": fiber.Map{
					"200": jsonBody("The register", fiber.Map{"type": "object", "properties": fiber.Map{"organisation_id": integer, "roles": fiber.Map{"type": "array", "items": ref("RoleAssessment")}}}),
					"404": errorResponse("No such organisation for the token's owner"),
				},
			}},
			"/risk/roles/{rid}": fiber.Map{"post": fiber.Map{
				"operationId": "saveRoleRisk",
				"summary":     "Record a new version of a role's assessment (owners and contributors given the register). Residual ratings (unless overridden with a rationale), the band and the review and screening dates are worked out from the risk model.",
				"security":    bearer,
				"parameters":  []fiber.Map{pathParam("rid", "Role id from the risk model, or a local role's id"), orgParam},
				"requestBody": fiber.Map{"required": true, "content": fiber.Map{"application/json": fiber.Map{"schema": ref("RoleInput")}}},
				"responses": fiber.Map{
					"201": jsonBody("The saved version", ref("RoleAssessment")),
					"403": errorResponse("The token's owner may not change the register"),
					"404": errorResponse("No such role"),
					"422": errorResponse("Every problem with the input, each naming its place"),
				},
			}, "get": fiber.Map{
				"operationId": "getRoleRisk",
				"summary":     "Every version of one role's assessment, newest first, with hazards and controls",
				"security":    bearer,
				"parameters":  []fiber.Map{pathParam("rid", "Role id from the risk model, e.g. RL-01"), orgParam},
				"responses": fiber.Map{
					"200": jsonBody("The versions", fiber.Map{"type": "object", "properties": fiber.Map{"versions": fiber.Map{"type": "array", "items": ref("RoleAssessment")}}}),
					"404": errorResponse("The role has not been assessed"),
				},
			}},
			"/frameworks": fiber.Map{"get": fiber.Map{
				"operationId": "listFrameworks",
				"summary":     "Every loaded framework edition, crosswalk and risk model",
				"responses": fiber.Map{"200": jsonBody("The loaded editions", fiber.Map{
					"type":       "object",
					"required":   []string{"editions"},
					"properties": fiber.Map{"editions": fiber.Map{"type": "array", "items": ref("EditionSummary")}},
				})},
			}},
			"/frameworks/{key}/{version}": fiber.Map{"get": fiber.Map{
				"operationId": "getFramework",
				"summary":     "One edition with its full content",
				"parameters":  []fiber.Map{pathParam("key", "Edition key, e.g. blwf"), pathParam("version", "Edition version, e.g. 2024")},
				"responses": fiber.Map{
					"200": jsonBody("The edition and its content (a framework, crosswalk or risk model, by kind)", fiber.Map{
						"type":       "object",
						"required":   []string{"edition", "content"},
						"properties": fiber.Map{"edition": ref("EditionSummary"), "content": fiber.Map{"type": "object"}},
					}),
					"404": errorResponse("No such edition is loaded"),
				},
			}},
		},
		"components": fiber.Map{
			"securitySchemes": fiber.Map{"bearerAuth": fiber.Map{
				"type": "http", "scheme": "bearer",
				"description": "An API token created on the API tokens page. It acts as the person who created it, with their role and organisation.",
			}},
			"schemas": fiber.Map{
				"Cycle": fiber.Map{"type": "object", "properties": fiber.Map{
					"id": integer, "name": str, "framework_key": str, "framework_version": str,
					"opens_on": dateTime, "closes_on": dateTime, "status": fiber.Map{"type": "string", "enum": []string{"open", "closed"}},
				}},
				"Assessment": fiber.Map{"type": "object", "properties": fiber.Map{
					"id": integer, "organisation_id": integer, "cycle_id": integer,
					"framework_key": str, "framework_version": str, "framework_sha256": str,
					"status":          fiber.Map{"type": "string", "enum": []string{"draft", "submitted", "returned", "validated"}},
					"carried_from_id": nullableInt, "signed_off_name": str, "signed_off_role": str, "signed_off_at": dateTime,
					"submitted_at": dateTime, "returned_comment": str, "validated_at": dateTime, "peer_review_requested_at": dateTime, "created_at": dateTime,
				}},
				"Response": fiber.Map{"type": "object", "properties": fiber.Map{
					"standard_id": str, "level": nullableInt, "target": nullableInt, "evidence": str, "links": str,
					"carried_forward": fiber.Map{"type": "boolean", "description": "Carried from last cycle and not yet confirmed"},
					"review_note":     str, "version": integer, "updated_by": str, "updated_at": dateTime,
				}},
				"Answer": fiber.Map{"type": "object", "required": []string{"level", "version"}, "additionalProperties": false, "properties": fiber.Map{
					"level": fiber.Map{"type": "integer", "description": "A level on the edition's maturity scale"}, "target": nullableInt,
					"evidence": str, "links": fiber.Map{"type": "string", "description": "One link or reference per line"}, "version": integer,
				}},
				"RoleInput": fiber.Map{"type": "object", "additionalProperties": false, "required": []string{"headcount", "signed_off_by", "hazards"}, "properties": fiber.Map{
					"teams": str, "headcount": integer, "exposed_headcount": integer, "people_screened": integer, "structured_interviews": integer, "referrals": integer, "signed_off_by": str,
					"hazards": fiber.Map{"type": "array", "items": fiber.Map{"type": "object", "additionalProperties": false, "required": []string{"hazard_id", "likelihood", "severity"}, "properties": fiber.Map{
						"hazard_id": str, "likelihood": integer, "severity": integer, "rationale": str,
						"controls": fiber.Map{"type": "array", "items": fiber.Map{"type": "object", "additionalProperties": false, "properties": fiber.Map{
							"control_id": str, "local_name": str, "status": fiber.Map{"type": "string", "enum": []string{"planned", "partly in place", "in place"}},
							"owner": str, "due_on": dateTime, "likelihood_reduction": integer, "severity_reduction": integer,
						}}},
						"residual_override": fiber.Map{"type": "object", "additionalProperties": false, "properties": fiber.Map{"likelihood": integer, "severity": integer, "rationale": str}},
					}}},
				}},
				"RoleAssessment": fiber.Map{"type": "object", "properties": fiber.Map{
					"id": integer, "organisation_id": integer, "role_id": str, "version": integer, "current": fiber.Map{"type": "boolean"},
					"model_key": str, "model_version": str, "model_sha256": str,
					"headcount": integer, "exposed_headcount": integer, "people_screened": integer, "structured_interviews": integer, "referrals": integer,
					"overall_band": str, "reviewed_on": dateTime, "next_review_on": dateTime, "next_screening_on": dateTime, "signed_off_by": str,
					"hazards": fiber.Map{"type": "array", "items": fiber.Map{"type": "object", "properties": fiber.Map{
						"hazard_id": str, "inherent_likelihood": integer, "inherent_severity": integer, "rationale": str,
						"residual_likelihood": integer, "residual_severity": integer, "override_rationale": str,
						"controls": fiber.Map{"type": "array", "items": fiber.Map{"type": "object", "properties": fiber.Map{
							"control_id": str, "local_name": str, "status": str, "owner": str, "due_on": dateTime,
							"likelihood_reduction": integer, "severity_reduction": integer,
						}}},
					}}},
				}},
				"Action": fiber.Map{"type": "object", "properties": fiber.Map{
					"id": integer, "standard_id": str, "what": str, "owner": str, "due_on": dateTime,
					"status": fiber.Map{"type": "string", "enum": []string{"planned", "in progress", "done"}},
				}},
				"Me": fiber.Map{
					"type":     "object",
					"required": []string{"id", "email", "name", "role"},
					"properties": fiber.Map{
						"id":              fiber.Map{"type": "integer"},
						"email":           str,
						"name":            str,
						"role":            fiber.Map{"type": "string", "enum": []string{"national_admin", "owner", "contributor", "viewer"}},
						"organisation_id": fiber.Map{"type": []string{"integer", "null"}},
						"sections":        fiber.Map{"type": "array", "items": str},
					},
				},
				"EditionSummary": fiber.Map{
					"type":     "object",
					"required": []string{"kind", "key", "version", "title", "status", "sha256", "counts"},
					"properties": fiber.Map{
						"kind":    fiber.Map{"type": "string", "enum": []string{"framework", "crosswalk", "risk-model"}},
						"key":     str,
						"version": str,
						"title":   str,
						"status":  fiber.Map{"type": "string", "enum": []string{"draft", "released"}},
						"sha256":  fiber.Map{"type": "string", "description": "SHA-256 of the edition file, hex"},
						"counts":  fiber.Map{"type": "object", "additionalProperties": fiber.Map{"type": "integer"}},
					},
				},
				"Error": fiber.Map{
					"type":       "object",
					"required":   []string{"error"},
					"properties": fiber.Map{"error": ref("ErrorBody")},
				},
				"ErrorBody": fiber.Map{
					"type":     "object",
					"required": []string{"code", "message"},
					"properties": fiber.Map{
						"code":       fiber.Map{"type": "string", "enum": []string{"not_found", "conflict", "invalid", "unauthorized", "forbidden", "internal"}},
						"message":    str,
						"request_id": str,
					},
				},
			}},
	}
	paths, schemas := provisionOpenAPI()
	maps.Copy(doc["paths"].(fiber.Map), paths)
	maps.Copy(doc["components"].(fiber.Map)["schemas"].(fiber.Map), schemas)
	return doc
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(openAPIDocument(s.deps.Version))
}
