package loadcheck

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// A process the plugin starts in a session of its own (setsid) leaves the
// child's process group, so killing the group misses it. The checker makes
// itself the subreaper of its descendants: such a process, orphaned when
// the child ends, becomes the checker's own child, where it is found,
// named in the report and killed.

const prSetChildSubreaper = 36 // PR_SET_CHILD_SUBREAPER, linux/prctl.h

var subreaperOnce sync.Once

// becomeSubreaper is called before the first child starts; where the
// kernel refuses it, orphans go to init as before and are not seen.
func becomeSubreaper() {
	subreaperOnce.Do(func() {
		syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	})
}

// orphan is a process left over from a child, adopted by the checker.
type orphan struct {
	pid  int
	comm string
}

// killOrphans kills and reaps the checker's children other than those it
// knows (none, between checks of plugins), and returns what they were.
func killOrphans() []orphan {
	self := os.Getpid()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var found []orphan
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, comm, ok := procParent(pid)
		if !ok || ppid != self {
			continue
		}
		syscall.Kill(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, 0, nil)
		found = append(found, orphan{pid, comm})
	}
	return found
}

// procParent reads a process's parent and command name from /proc.
func procParent(pid int) (int, string, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", false
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	s := string(stat)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return 0, "", false
	}
	fields := strings.Fields(s[end+1:])
	if len(fields) < 2 {
		return 0, "", false
	}
	ppid, err := strconv.Atoi(fields[1])
	return ppid, s[open+1 : end], err == nil
}
