package server

import "github.com/gofiber/fiber/v2"

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
	return fiber.Map{
		"openapi": "3.1.0",
		"info": fiber.Map{
			"title":       "Blue Light Wellbeing Toolkit API",
			"version":     version,
			"description": "Read the framework editions, crosswalks and psychological risk models this service has loaded.",
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
					"type":     "object",
					"required": []string{"error"},
					"properties": fiber.Map{"error": fiber.Map{
						"type":     "object",
						"required": []string{"code", "message"},
						"properties": fiber.Map{
							"code":       fiber.Map{"type": "string", "enum": []string{"not_found", "conflict", "invalid", "unauthorized", "forbidden", "internal"}},
							"message":    str,
							"request_id": str,
						},
					}},
				},
			}},
	}
}

func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(openAPIDocument(s.deps.Version))
}
