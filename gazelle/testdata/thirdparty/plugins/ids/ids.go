// A plugin that imports third-party modules: Gazelle resolves them as it
// does for any Go target, to go_repository (go_deps) names.
package main

import (
	"github.com/google/uuid"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// New returns a title-cased random ID.
func New() string {
	return cases.Title(language.English).String(uuid.NewString())
}
