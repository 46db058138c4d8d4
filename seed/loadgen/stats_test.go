package loadgen

import (
	"strings"
	"testing"
	"time"
)

func msList(values ...int) []time.Duration {
	out := make([]time.Duration, len(values))
	for i, v := range values {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestPercentileIsNearestRank(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", msList(7), 99, 7 * time.Millisecond},
		{"median of 1..100", msList(hundred...), 50, 50 * time.Millisecond},
		{"p95 of 1..100", msList(hundred...), 95, 95 * time.Millisecond},
		{"p99 of 1..100", msList(hundred...), 99, 99 * time.Millisecond},
		{"p100 is the max", msList(hundred...), 100, 100 * time.Millisecond},
		{"p99 of ten values is the largest", msList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p50 of ten values is the fifth", msList(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5 * time.Millisecond},
		{"p50 of four rounds up", msList(10, 20, 30, 40), 50, 20 * time.Millisecond},
		{"tiny p is the minimum", msList(10, 20, 30, 40), 0.1, 10 * time.Millisecond},
	}
	for _, c := range cases {
		if got := Percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: Percentile(p%.1f) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestRecorderKeepsConflictsApartFromErrors(t *testing.T) {
	r := NewRecorder()
	for _, v := range []int{30, 10, 20} {
		r.Record(ActionSave, time.Duration(v)*time.Millisecond, OK, "")
	}
	r.Record(ActionSave, time.Second, Conflict, "")
	for i := range 5 {
		r.Record(ActionSave, 0, Failed, "status 500 #"+string(rune('a'+i)))
	}
	r.Record(ActionHome, 5*time.Millisecond, OK, "")
	r.Record("zzz other", 5*time.Millisecond, OK, "")

	rows := r.Rows(ActionOrder, 2*time.Second)
	if len(rows) != 3 || rows[0].Action != ActionHome || rows[1].Action != ActionSave || rows[2].Action != "zzz other" {
		t.Fatalf("rows out of order: %+v", rows)
	}
	save := rows[1]
	if save.Count != 3 || save.Conflicts != 1 || save.Errors != 5 {
		t.Errorf("save row: count %d conflicts %d errors %d, want 3, 1, 5", save.Count, save.Conflicts, save.Errors)
	}
	if save.P50 != 20*time.Millisecond || save.Max != 30*time.Millisecond || save.PerSecond != 1.5 {
		t.Errorf("save row: p50 %v max %v rate %v; a conflict's or an error's time must not count", save.P50, save.Max, save.PerSecond)
	}
	if len(save.ErrorSamples) != maxSamples || !strings.Contains(save.ErrorSamples[0], "#a") {
		t.Errorf("error samples: %q", save.ErrorSamples)
	}
	total := r.Total(2 * time.Second)
	if total.Count != 5 || total.Errors != 5 || total.Conflicts != 1 || total.Max != 30*time.Millisecond || total.P50 != 10*time.Millisecond {
		t.Errorf("total: %+v", total)
	}
	var out strings.Builder
	WriteTable(&out, rows)
	for _, want := range []string{"p99 ms", "conflicts", "error in save: status 500 #a"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseStatus(t *testing.T) {
	status := []byte("Name:\ttoolkit\nVmHWM:\t  158492 kB\nVmRSS:\t   63488 kB\nThreads:\t9\n")
	got, err := parseStatus(status, "VmRSS", "VmHWM")
	if err != nil || got["VmRSS"] != 63488*1024 || got["VmHWM"] != 158492*1024 {
		t.Fatalf("parseStatus = %v, %v", got, err)
	}
	if _, err := parseStatus(status, "VmSwap"); err == nil || !strings.Contains(err.Error(), "VmSwap") {
		t.Errorf("a missing field: %v", err)
	}
	if _, err := parseStatus([]byte("VmRSS:\tlots\n"), "VmRSS"); err == nil {
		t.Error("a garbled field was accepted")
	}
}

func TestDescribeNamesTheErrorPage(t *testing.T) {
	page := response{status: 500, body: []byte(`<!DOCTYPE html><html><head><title>Sorry, there is a problem &ndash; Toolkit</title></head>
<body><p>Try again later. If it keeps happening, quote this reference to your administrator: <span class="app-token">188c76873bcec59cd320e283</span></p>`)}
	if got, want := describe(page), "status 500: Sorry, there is a problem – Toolkit (reference 188c76873bcec59cd320e283)"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
	redirect := response{status: 303, location: "/sign-in?next=/"}
	if got := describe(redirect); got != "status 303 to /sign-in?next=/" {
		t.Errorf("describe = %q", got)
	}
}
