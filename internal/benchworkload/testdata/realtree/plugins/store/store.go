// Plugin store answers items from Redis and Postgres (configured, not
// connected: the bench builds it, the server's check never reaches a store).
package main

import (
	"net/http"

	"bench.example/realtree/api"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"
)

type plugin struct {
	rdb *redis.Client
	pg  *pgxpool.Config
	log *zap.Logger
}

func (plugin) Name() string { return "store" }

func (p plugin) Mount(r chi.Router) {
	r.Get("/items/{id}", func(w http.ResponseWriter, req *http.Request) {
		id := chi.URLParam(req, "id")
		if _, err := uuid.Parse(id); err != nil {
			api.JSON(w, http.StatusBadRequest, `{"error":"not a uuid"}`)
			return
		}
		var g errgroup.Group
		g.Go(func() error { return p.rdb.Get(req.Context(), id).Err() })
		if err := g.Wait(); err != nil {
			p.log.Info("item", zap.String("id", id), zap.Error(err))
			api.JSON(w, http.StatusNotFound, `{"error":"no item"}`)
			return
		}
		api.JSON(w, http.StatusOK, `{"id":"`+id+`"}`)
	})
}

// New is looked up by the server.
func New() api.Plugin {
	pg, err := pgxpool.ParseConfig("postgres://bench@127.0.0.1:5432/bench")
	if err != nil {
		panic(err)
	}
	return plugin{rdb: redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}), pg: pg, log: zap.NewNop()}
}
