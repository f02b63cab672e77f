package pluginlang

import (
	"log"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// hostPluginsUse tells which # gazelle:go_plugin_host_plugins directives
// applied to no go_plugin_host, so that a directive does not silently name
// plugins for nothing (a host Gazelle did not recognise stays a go_binary).
type hostPluginsUse struct {
	files   map[string]string // declaring directory -> "file: value"
	used    map[string]bool   // declaring directory -> a host below uses it
	visited map[string]bool   // directories Gazelle generated rules for
}

func newHostPluginsUse() *hostPluginsUse {
	return &hostPluginsUse{files: map[string]string{}, used: map[string]bool{}, visited: map[string]bool{}}
}

func (u *hostPluginsUse) declared(rel, file, value string) {
	u.files[rel] = path.Join(rel, filepath.Base(file)) + ": # gazelle:" + hostPluginsDirective + " " + strings.TrimSpace(value)
}

// report logs each directive whose directory Gazelle updated and under which
// it generated no host. A directory it did not update (gazelle update of
// another one) proves nothing, so it is not reported.
func (u *hostPluginsUse) report() {
	var rels []string
	for rel := range u.files {
		if u.visited[rel] && !u.used[rel] {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	for _, rel := range rels {
		log.Printf("%s applies to no go_plugin_host: no command in //%s or below imports \"plugin\" or the loader, directly or through this repository's libraries; mark a host with # gazelle:%s in its BUILD file (or write its go_plugin_host), or remove the directive", u.files[rel], rel, hostDirective)
	}
}
