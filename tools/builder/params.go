package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// shellParams prefixes the path of a params file that Bazel wrote in its
// "shell" format (args.set_param_file_format("shell")): every argument
// shell-quoted, one a line, so an argument may hold a newline (an x_defs
// value, a copt). A plain "@path" is the "multiline" format, one argument a
// line with no quoting, which cuts an argument at a newline: the compile and
// link actions use the shell format for that reason.
const shellParams = "@shell-quoted:"

// expandParams reads the arguments from a params file when Bazel passed one:
// then the only argument is "@path" (or shellParams + path). Other arguments
// may start with "@" too (labels such as @repo//pkg:name), so nothing else
// is expanded.
func expandParams(args []string) ([]string, error) {
	if len(args) != 1 || !strings.HasPrefix(args[0], "@") {
		return args, nil
	}
	path, shell := strings.CutPrefix(args[0], shellParams)
	if !shell {
		path = args[0][1:]
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading params file: %w", err)
	}
	if shell {
		words, err := splitShellQuoted(string(data))
		if err != nil {
			return nil, fmt.Errorf("reading params file %s: %w", path, err)
		}
		return words, nil
	}
	text := strings.TrimSuffix(string(data), "\n")
	if text == "" {
		return nil, nil
	}
	return strings.Split(text, "\n"), nil
}

// splitShellQuoted splits what Bazel's ShellEscaper writes: arguments
// separated by newlines; in one, '...' quotes everything up to the next
// quote (newlines too) and a backslash outside quotes takes the next
// character as it is (a quote inside a quoted argument is written as
// quote, backslash, quote, quote).
func splitShellQuoted(text string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '\\':
			if i+1 == len(text) {
				return nil, errors.New("a backslash at the end")
			}
			i++
			cur.WriteByte(text[i])
			inWord = true
		case c == '\n':
			if inWord {
				words = append(words, cur.String())
			}
			cur.Reset()
			inWord = false
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, errors.New("a quote is not closed")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
