package store_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

var (
	demoOnce    sync.Once
	demoExports map[string][]byte
)

// demoExportAt is the store clock while the demo source is exported.
var demoExportAt = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)

// demoExport is one organisation of the demo source, exported. The demo
// is loaded once for every test that needs it: it takes seconds.
func demoExport(t *testing.T, set *frameworks.Set, slug string) []byte {
	t.Helper()
	demoOnce.Do(func() {
		src := demoSource(t, set)
		src.Now = func() time.Time { return demoExportAt }
		demoExports = map[string][]byte{}
		for _, s := range []string{"avon-somerset", "devon-cornwall"} {
			demoExports[s] = exportJSON(t, src, s)
		}
	})
	doc := demoExports[slug]
	if doc == nil {
		t.Fatalf("no export of %s to work from", slug)
	}
	return doc
}

// remove, as a value for edit, deletes the field.
var remove = new(int)

// edit changes one place in a JSON document, named like "people.0.role".
func edit(t *testing.T, doc []byte, path string, value any) []byte {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(path, ".")
	node := root
	for i, p := range parts {
		last := i == len(parts)-1
		switch n := node.(type) {
		case map[string]any:
			if last {
				if value == remove {
					delete(n, p)
				} else {
					n[p] = value
				}
			}
			node = n[p]
		case []any:
			j, err := strconv.Atoi(p)
			if err != nil || j >= len(n) {
				t.Fatalf("edit %s: no element %s", path, p)
			}
			if last {
				n[j] = value
			}
			node = n[j]
		default:
			t.Fatalf("edit %s: %s is not inside an object or list", path, p)
		}
	}
	out, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rowCounts counts what an import could have written.
func rowCounts(t *testing.T, st *store.Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"organisations", "users", "assessment_cycles", "assessments", "responses", "audit_events", "ok9_dogs", "workforce"} {
		var n int64
		if err := st.DB().Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestImportRefusesBadFiles spoils a good export in one place at a time and
// expects a message naming that place, and nothing written.
func TestImportRefusesBadFiles(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	good := demoExport(t, set, "avon-somerset")
	var first store.Export
	if err := json.Unmarshal(good, &first); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		doc  []byte
		code string
		want string
	}{
		{"unknown field", edit(t, good, "people.0.colour", "blue"), apperr.EINVALID, "people[0].colour: is not a field this format has"},
		{"wrong type", edit(t, good, "assessments.1.responses.3.version", "two"), apperr.EINVALID, "assessments[1].responses[3].version: must be a number"},
		{"fraction", edit(t, good, "workforce.0.staff", 12.5), apperr.EINVALID, "workforce[0].staff: 12.5 is not a whole number"},
		{"missing field", edit(t, good, "organisation.name", remove), apperr.EINVALID, "organisation.name: is missing"},
		{"null", edit(t, good, "organisation.slug", nil), apperr.EINVALID, "organisation.slug: must not be null"},
		{"bad time", edit(t, good, "ok9.dogs.0.created_at", "yesterday"), apperr.EINVALID, `ok9.dogs[0].created_at: "yesterday" is not a time`},
		{"other format", edit(t, good, "format", "bluelight-toolkit-export/2"), apperr.EINVALID, `format: "bluelight-toolkit-export/2" is not a format this version reads`},
		{"not an object", []byte(`[1, 2]`), apperr.EINVALID, "the file: must be an object"},
		{"syntax", []byte("{\n  \"format\": \"bluelight-toolkit-export/1\",\n  \"notes\": [,]\n}"), apperr.EINVALID, "line 3, column 13"},
		{"cut short", good[:len(good)/2], apperr.EINVALID, "cut short"},
		{"two documents", append(append([]byte{}, good...), "{}"...), apperr.EINVALID, "goes on after the end"},
		{"bad organisation", edit(t, good, "organisation.sector", "coastguard"), apperr.EINVALID, "organisation: Choose a sector"},
		{"national admin", edit(t, good, "people.1.role", store.RoleNationalAdmin), apperr.EINVALID, "people[1].role: national admins belong to no organisation"},
		{"bad email", edit(t, good, "people.2.email", "not an email"), apperr.EINVALID, "people[2]: Enter an email address"},
		{"unknown edition", edit(t, good, "assessments.0.framework_version", "1999"), apperr.EINVALID, "assessments[0].framework_version: framework blwf 1999 is not loaded in this database"},
		{"changed edition", edit(t, good, "assessments.2.framework_sha256", "0123456789abcdef0123"), apperr.EINVALID, "is not the edition the records were made under"},
		{"answered twice", edit(t, good, "assessments.0.responses.1.standard_id", first.Assessments[0].Responses[0].StandardID), apperr.EINVALID,
			"assessments[0].responses[1].standard_id: " + first.Assessments[0].Responses[0].StandardID + " is answered twice"},
		{"action without answer", edit(t, good, "assessments.2.actions.0.standard_id", "NOPE-99"), apperr.EINVALID, `assessments[2].actions[0].standard_id: "NOPE-99" has no response`},
		{"two current versions", edit(t, good, "role_assessments.0.current", true), apperr.EINVALID, "has more than one current version"},
		{"unknown dog", edit(t, good, "ok9.handlers.0.dogs", []string{"Nobody"}), apperr.EINVALID, `ok9.handlers[0].dogs[0]: there is no dog called "Nobody" in ok9.dogs`},
		{"unknown handler", edit(t, good, "ok9.deployments.3.handler", "PC 0000"), apperr.EINVALID, `ok9.deployments[3].handler: there is no handler called "PC 0000"`},
		{"bad return", edit(t, good, "peer_support_returns.1.peer_supporters", -4), apperr.EINVALID, "peer_support_returns[1]: The number of peer supporters must be"},
		// The audit trail comes last: everything else has been written by
		// then, and must be undone.
		{"unknown actor", edit(t, good, "audit.5.actor", "someone@else.example"), apperr.EINVALID, "audit[5].actor: someone@else.example is not among the exported people"},
	}
	storetest.ForEachDialect(t, func(t *testing.T, st *store.Store) {
		recordEditions(t, st, set)
		ctx := context.Background()
		refused := func(t *testing.T, doc []byte, code, want string) {
			t.Helper()
			before := rowCounts(t, st)
			_, err := importJSON(t, st, doc)
			if apperr.Code(err) != code || !strings.Contains(apperr.Message(err), want) {
				t.Fatalf("got %s %q, want %s %q", apperr.Code(err), err, code, want)
			}
			if after := rowCounts(t, st); !equalCounts(before, after) {
				t.Fatalf("a refused import changed the database: %v, then %v", before, after)
			}
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) { refused(t, tc.doc, tc.code, tc.want) })
		}
		t.Run("email taken", func(t *testing.T) {
			other, err := st.CreateOrganisation(ctx, store.Actor{}, store.Organisation{Slug: "elsewhere", Name: "Elsewhere", Sector: "other", Nation: "UK-wide"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateUser(ctx, store.Actor{}, store.AllOrganisations(), store.User{Email: "viewer@avon-somerset.demo.example", DisplayName: "Moved on",
				Role: store.RoleViewer, OrganisationID: &other.ID}); err != nil {
				t.Fatal(err)
			}
			refused(t, good, apperr.ECONFLICT, "people[2].email: someone with the email address viewer@avon-somerset.demo.example already has an account")
		})
	})
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
