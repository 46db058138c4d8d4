package storetest

import "testing"

func TestWithSearchPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u@h:5432/db", "postgres://u@h:5432/db?search_path=t_1"},
		{"postgres://u:p@h/db?sslmode=disable", "postgres://u:p@h/db?search_path=t_1&sslmode=disable"},
		{"postgresql://h/db?search_path=public", "postgresql://h/db?search_path=t_1"},
	}
	for _, tt := range tests {
		got, err := withSearchPath(tt.in, "t_1")
		if err != nil || got != tt.want {
			t.Errorf("withSearchPath(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
