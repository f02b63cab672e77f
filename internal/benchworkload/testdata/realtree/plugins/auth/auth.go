// Plugin auth signs JWTs for validated logins, rate limited per client.
package main

import (
	"net/http"
	"time"

	"bench.example/realtree/api"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/httprate"
	"github.com/go-playground/validator/v10"
	"github.com/golang-jwt/jwt/v5"
)

type login struct {
	User     string `validate:"required,alphanum"`
	Password string `validate:"required,min=8"`
}

type plugin struct {
	key      []byte
	validate *validator.Validate
}

func (plugin) Name() string { return "auth" }

func (p plugin) Mount(r chi.Router) {
	r.With(httprate.LimitByIP(100, time.Minute)).Post("/login", func(w http.ResponseWriter, req *http.Request) {
		l := login{User: req.FormValue("user"), Password: req.FormValue("password")}
		if err := p.validate.Struct(l); err != nil {
			api.JSON(w, http.StatusBadRequest, `{"error":"invalid login"}`)
			return
		}
		claims := jwt.MapClaims{"sub": l.User, "exp": time.Now().Add(time.Hour).Unix()}
		token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(p.key)
		if err != nil {
			api.JSON(w, http.StatusInternalServerError, `{"error":"sign"}`)
			return
		}
		api.JSON(w, http.StatusOK, `{"token":"`+token+`"}`)
	})
}

// New is looked up by the server.
func New() api.Plugin { return plugin{key: []byte("bench"), validate: validator.New()} }
