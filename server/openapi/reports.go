package openapi

// reportsOpenAPI describes the organisation report route of /api/v1.
func reportsOpenAPI() (paths, schemas M) {
	ref := func(name string) M { return M{"$ref": "#/components/schemas/" + name} }
	str := M{"type": "string"}
	strs := M{"type": "array", "items": str}
	finding := M{"type": "object", "properties": M{"standard_id": str, "statement": str, "why": str}}
	paths = M{
		"/reports/{cycle}": M{"get": M{
			"operationId": "getOrganisationReport",
			"summary":     "The organisation's benchmark report summary for a cycle, as structured data: the same sentences, written by rules from the same figures and under the same disclosure rules as the first page of the report (national admins name the organisation with ?org=)",
			"security":    []M{{"bearerAuth": []string{}}},
			"parameters": []M{
				{"name": "cycle", "in": "path", "required": true, "description": "Cycle id", "schema": M{"type": "integer"}},
				{"name": "org", "in": "query", "required": false, "description": "Organisation id (national admins only)", "schema": M{"type": "integer"}},
			},
			"responses": M{
				"200": M{"description": "The summary", "content": M{"application/json": M{"schema": ref("OrganisationReport")}}},
				"404": M{"description": "No such cycle or organisation for the token's owner", "content": M{"application/json": M{"schema": ref("Error")}}},
			},
		}},
	}
	schemas = M{
		"OrganisationReport": M{"type": "object", "properties": M{
			"organisation_id": M{"type": "integer"}, "organisation": str, "cycle": str, "comparator": str,
			"summary": M{"type": "object", "properties": M{
				"headline": str, "strengths": M{"type": "array", "items": finding}, "priority_gaps": M{"type": "array", "items": finding},
				"rule": str, "provision": strs, "risk": strs, "next": str,
			}},
		}},
	}
	return paths, schemas
}
