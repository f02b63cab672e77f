package loadcheck

import (
	"fmt"
	"strings"
)

// maxOutputLines bounds what the log shows of each stream of one child.
const maxOutputLines = 20

// childOutput is what the child (the plugin, mostly) wrote to stdout and
// stderr, and a note on processes it left running, for the report.
func childOutput(run *childRun) string {
	var b strings.Builder
	for _, s := range []struct {
		name string
		buf  *cappedBuffer
	}{{"stdout", run.stdout}, {"stderr", run.stderr}} {
		text := strings.TrimRight(s.buf.String(), "\n")
		if text == "" {
			continue
		}
		lines := strings.Split(text, "\n")
		fmt.Fprintf(&b, "%s:\n", s.name)
		for i, l := range lines {
			if i == maxOutputLines {
				fmt.Fprintf(&b, "  ... %d more line(s)\n", len(lines)-i)
				break
			}
			fmt.Fprintf(&b, "  %s\n", l)
		}
		if s.buf.dropped > 0 {
			fmt.Fprintf(&b, "  ... %d more byte(s) not kept\n", s.buf.dropped)
		}
	}
	if run.leftover {
		b.WriteString("note: processes the plugin started were still running after the check; they were killed\n")
	}
	for _, o := range run.orphans {
		fmt.Fprintf(&b, "note: process %d (%s), which the plugin started outside the child's process group (setsid, or a daemon), was still running after the check; it was killed\n", o.pid, o.comm)
	}
	return b.String()
}

// indent prefixes every line of text.
func indent(text, prefix string) string {
	lines := strings.SplitAfter(strings.TrimRight(text, "\n"), "\n")
	return prefix + strings.Join(lines, prefix) + "\n"
}
