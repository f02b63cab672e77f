package plugincheck

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is returned for a path that is not a regular file: a named
// pipe, a device such as /dev/zero, a directory or a socket. Reading one
// could block forever or never end.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens a regular file for reading, and refuses anything else
// without blocking: it opens with O_NONBLOCK, so that opening a named pipe
// does not wait for a writer, and checks the opened file (not the path,
// which could change in between).
func OpenRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s: %w: it is %s", path, ErrNotRegular, describeMode(st.Mode()))
	}
	return f, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file (mode " + m.String() + ")"
}
