package loadgen

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Memory is what /proc/PID/status says of the server's memory.
type Memory struct {
	PID int
	// PeakSampled is the largest resident set (VmRSS) seen, sampled every
	// second during the run.
	PeakSampled int64 // bytes
	// HighWater is the kernel's peak resident set of the process over its
	// whole life (VmHWM), read at the end.
	HighWater int64 // bytes
	// Reset is true when the high-water mark was reset as the run began,
	// so that it covers the run alone.
	Reset bool
}

// resetPeak resets the process's VmHWM to its current resident set (Linux
// 4.0 and later, for a process this user may trace), so the peak read at the
// end is the run's and not the start-up's.
func resetPeak(pid int) bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
}

// procStatus reads the named kB fields of /proc/pid/status in bytes.
func procStatus(pid int, fields ...string) (map[string]int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, fmt.Errorf("-pid %d: %w", pid, err)
	}
	return parseStatus(b, fields...)
}

// parseStatus finds lines like "VmRSS:    123456 kB".
func parseStatus(b []byte, fields ...string) (map[string]int64, error) {
	out := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		for _, f := range fields {
			if name != f {
				continue
			}
			value := strings.Fields(rest)
			if len(value) != 2 || value[1] != "kB" {
				return nil, fmt.Errorf("unexpected %s line %q", f, sc.Text())
			}
			kb, err := strconv.ParseInt(value[0], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("unexpected %s line %q", f, sc.Text())
			}
			out[f] = kb * 1024
		}
	}
	for _, f := range fields {
		if _, ok := out[f]; !ok {
			return nil, fmt.Errorf("no %s line in the process status", f)
		}
	}
	return out, nil
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
