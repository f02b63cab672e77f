// Package api is what the server and its plugins share: a plugin mounts its
// routes on the server's chi router.
package api

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// Plugin is what each plugin's New returns.
type Plugin interface {
	Name() string
	Mount(r chi.Router)
}

// JSON writes a small JSON answer.
func JSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write([]byte(body))
}
