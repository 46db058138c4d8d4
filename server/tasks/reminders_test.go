package tasks

import (
	"testing"
	"time"
)

func TestDueState(t *testing.T) {
	now := time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		due  time.Time
		days int
		want Due
	}{
		{day(2027, 3, 1), 30, Overdue},
		{day(2027, 3, 2), 30, Overdue}, // the day began before now, as the register counts it
		{day(2027, 3, 3), 30, DueSoon},
		{day(2027, 4, 1), 30, DueSoon}, // the 30th day
		{day(2027, 4, 2), 30, NotDue},
		{day(2027, 3, 16), 14, DueSoon},
		{day(2027, 3, 17), 14, NotDue},
	} {
		if got := DueState(now, c.due, c.days); got != c.want {
			t.Errorf("DueState(%s, %d days) = %d, want %d", c.due.Format("2 Jan"), c.days, got, c.want)
		}
	}
}
