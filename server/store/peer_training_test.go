package store_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/bluelight-wellbeing/toolkit/frameworks"
	"github.com/bluelight-wellbeing/toolkit/server/apperr"
	"github.com/bluelight-wellbeing/toolkit/server/store"
	"github.com/bluelight-wellbeing/toolkit/server/store/storetest"
)

// TestPeerSupportTraining: the training and supervision answers of a peer
// support return are optional; a count below 0, of people over the
// workforce, trainers delivering over the trained trainers or supervised
// supporters over the peer supporters is refused naming the field, and
// nothing is saved. The indicators are worked out here from the return
// saved; a return made without the answers reads "not recorded" (no value,
// never 0), and an organisation without a return "no peer support return".
func TestPeerSupportTraining(t *testing.T) {
	storetest.ForEachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, b := twoOrgs(t, s)
		scA := store.Scope{OrgID: a.ID}
		if err := s.SetWorkforce(ctx, actor, scA, store.Workforce{OrganisationID: a.ID, Year: 2026, Officers: 900, Staff: 300, Volunteers: 40}); err != nil {
			t.Fatal(err)
		}
		good := store.PeerSupportReturn{OrganisationID: a.ID, Year: 2026, PeerSupporters: 48, TrainedTrainers: 9, SupervisionInPlace: true,
			WalkTheTalkAttended: intp(3), TrainersDelivering: intp(7), DemobCoursePlaces: intp(14), SupervisionSessions: intp(12), SupportersSupervised: intp(30)}
		bad := []struct {
			field  string
			change func(r *store.PeerSupportReturn)
			says   string
		}{
			{"walk_the_talk_attended", func(r *store.PeerSupportReturn) { r.WalkTheTalkAttended = intp(-1) }, "must be 0 or more"},
			{"demob_course_places", func(r *store.PeerSupportReturn) { r.DemobCoursePlaces = intp(1201) }, "cannot be more than the workforce of 1200"},
			{"trainers_delivering", func(r *store.PeerSupportReturn) { r.TrainersDelivering = intp(10) }, "cannot be more than the trained trainers"},
			{"supporters_supervised", func(r *store.PeerSupportReturn) { r.SupportersSupervised = intp(49) }, "cannot be more than the peer supporters"},
		}
		for _, tc := range bad {
			r := good
			tc.change(&r)
			if _, err := s.SavePeerSupportReturn(ctx, actor, scA, r); !fieldIs(err, tc.field) || apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s: %v, want a refusal of %s saying %q", tc.field, err, tc.field, tc.says)
			}
		}
		if list, _ := s.PeerSupportReturns(ctx, scA, a.ID); len(list) != 0 {
			t.Fatalf("refused returns saved: %+v", list)
		}
		if _, err := s.SavePeerSupportReturn(ctx, actor, scA, good); err != nil {
			t.Fatal(err)
		}
		// The year before, made without the new answers.
		if _, err := s.SavePeerSupportReturn(ctx, actor, scA, store.PeerSupportReturn{OrganisationID: a.ID, Year: 2025, PeerSupporters: 40, TrainedTrainers: 8}); err != nil {
			t.Fatal(err)
		}
		list, _ := s.PeerSupportReturns(ctx, scA, a.ID)
		if len(list) != 2 || list[0].SupervisionSessions == nil || *list[0].SupervisionSessions != 12 || list[1].WalkTheTalkAttended != nil {
			t.Fatalf("returns = %+v", list)
		}

		workforce := 900.0 + 300
		want := map[string]float64{
			store.IndWalkTheTalkPer1000:        float64(*good.WalkTheTalkAttended) * 1000 / workforce,
			store.IndTrainersDeliveringShare:   float64(*good.TrainersDelivering) * 100 / float64(good.TrainedTrainers),
			store.IndDemobPlacesPer1000:        float64(*good.DemobCoursePlaces) * 1000 / workforce,
			store.IndSupportersSupervisedShare: float64(*good.SupportersSupervised) * 100 / float64(good.PeerSupporters),
		}
		counts, err := s.ProvisionCountsFor(ctx, store.AllOrganisations(), 2026)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, ind := range counts[a.ID].Indicators(2026) {
			if w, ok := want[ind.Key]; ok {
				seen++
				if ind.Value == nil || *ind.Value != w || ind.Period != "calendar year 2026" {
					t.Errorf("%s = %+v, want %v for the calendar year 2026", ind.Key, ind, w)
				}
			}
		}
		if seen != len(want) {
			t.Errorf("saw %d training indicators, want %d", seen, len(want))
		}
		older, _ := s.ProvisionCountsFor(ctx, scA, 2025)
		for _, ind := range older[a.ID].Indicators(2025) {
			if _, ok := want[ind.Key]; ok && (ind.Value != nil || !ind.NoRecords || ind.Note != "no records: not recorded on the peer support return for calendar year 2025") {
				t.Errorf("2025 (made without the answers) %s = %+v, want not recorded", ind.Key, ind)
			}
		}
		for _, ind := range counts[b.ID].Indicators(2026) {
			if _, ok := want[ind.Key]; ok && (ind.Value != nil || !ind.NoRecords || ind.Note != "no records: no peer support return for calendar year 2026") {
				t.Errorf("B (no return) %s = %+v, want no records", ind.Key, ind)
			}
		}
	})
}

// TestImportPeerSupportTraining: an export carries the training and
// supervision answers; a file written before them (the fields left out)
// still imports, with the answers not recorded; a file whose trainers
// delivering outnumber its trained trainers is refused naming the field,
// and nothing is imported.
func TestImportPeerSupportTraining(t *testing.T) {
	set, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	doc := demoExport(t, set, "avon-somerset")
	var e store.Export
	if err := json.Unmarshal(doc, &e); err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, r := range e.PeerSupportReturns {
		if r.TrainersDelivering != nil {
			recorded++
		}
	}
	if recorded == 0 {
		t.Fatal("the demo export records no training answers")
	}
	// Written before the questions: strip the fields from the JSON itself.
	var raw map[string]any
	if err := json.Unmarshal(doc, &raw); err != nil {
		t.Fatal(err)
	}
	for _, r := range raw["peer_support_returns"].([]any) {
		for _, f := range store.PeerTrainingFields {
			delete(r.(map[string]any), f.Name)
		}
	}
	old, _ := json.Marshal(raw)
	if returns, _ := json.Marshal(raw["peer_support_returns"]); strings.Contains(string(returns), "walk_the_talk_attended") {
		t.Fatal("the older file still names the new fields")
	}
	st := storetest.Open(t, store.DialectSQLite)
	recordEditions(t, st, set)
	res, err := importJSON(t, st, old)
	if err != nil {
		t.Fatalf("an older file: %v", err)
	}
	list, _ := st.PeerSupportReturns(context.Background(), store.AllOrganisations(), res.Organisation.ID)
	if len(list) == 0 || list[0].TrainersDelivering != nil || list[0].SupervisionSessions != nil {
		t.Errorf("older file's returns = %+v, want the answers not recorded", list)
	}

	for i := range e.PeerSupportReturns {
		if r := &e.PeerSupportReturns[i]; r.TrainersDelivering != nil {
			n := r.TrainedTrainers + 1
			r.TrainersDelivering = &n
			importRefusedAt(t, set, e, "peer_support_returns["+strconv.Itoa(i)+"].trainers_delivering")
			break
		}
	}
}
