package main

import (
	"strings"
)

// trimDoc removes a docstring's indentation the way Python's inspect.cleandoc
// does: the first line is stripped, the common indentation of the others
// removed, and leading and trailing blank lines dropped.
func trimDoc(doc string) string {
	lines := strings.Split(strings.ReplaceAll(doc, "\t", "    "), "\n")
	indent := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	lines[0] = strings.TrimSpace(lines[0])
	for i := 1; i < len(lines); i++ {
		if len(lines[i]) >= indent && indent > 0 {
			lines[i] = lines[i][indent:]
		}
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// funcDoc is a function's docstring split into its Google-style sections.
type funcDoc struct {
	text    string            // what comes before the sections
	args    map[string]string // Args: name -> description, joined into one line
	returns string            // Returns:
}

var sections = map[string]bool{"Args:": true, "Arguments:": true, "Returns:": true}

// parseFuncDoc reads "Args:" (entries "name: text", continued on deeper
// indented lines) and "Returns:" sections; the rest is text.
func parseFuncDoc(doc string) funcDoc {
	fd := funcDoc{args: map[string]string{}}
	var text, returns []string
	section, arg := "", ""
	for _, line := range strings.Split(trimDoc(doc), "\n") {
		trimmed := strings.TrimSpace(line)
		if line == trimmed && sections[trimmed] {
			section, arg = strings.TrimSuffix(trimmed, ":"), ""
			continue
		}
		if line == trimmed && trimmed != "" {
			section = "" // back at the base indentation: text again
		}
		switch section {
		case "Args", "Arguments":
			if trimmed == "" {
				continue
			}
			indent := len(line) - len(strings.TrimLeft(line, " "))
			if name, rest, ok := strings.Cut(trimmed, ":"); ok && indent <= 4 && !strings.Contains(name, " ") {
				arg = strings.TrimLeft(name, "*")
				fd.args[arg] = strings.TrimSpace(rest)
			} else if arg != "" {
				fd.args[arg] = strings.TrimSpace(fd.args[arg] + " " + trimmed)
			}
		case "Returns":
			returns = append(returns, trimmed)
		default:
			text = append(text, line)
		}
	}
	fd.text = strings.TrimSpace(strings.Join(text, "\n"))
	fd.returns = strings.TrimSpace(strings.Join(returns, " "))
	return fd
}

// oneLine makes text fit a Markdown table cell.
func oneLine(text string) string {
	var paras []string
	for _, p := range strings.Split(trimDoc(text), "\n\n") {
		paras = append(paras, strings.Join(strings.Fields(p), " "))
	}
	return strings.ReplaceAll(strings.Join(paras, "<br><br>"), "|", `\|`)
}
