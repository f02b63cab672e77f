// Plugin metrics serves Prometheus metrics and traces its pings with
// OpenTelemetry.
package main

import (
	"net/http"

	"bench.example/realtree/api"
	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

type plugin struct{}

func (plugin) Name() string { return "metrics" }

func (plugin) Mount(r chi.Router) {
	reg := prometheus.NewRegistry()
	hits := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bench_hits_total", Help: "Pings."}, []string{"path"})
	reg.MustRegister(hits)
	tp := sdktrace.NewTracerProvider()
	otel.SetTracerProvider(tp)
	tracer := otel.Tracer("bench")
	r.Get("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP)
	r.Get("/ping", func(w http.ResponseWriter, req *http.Request) {
		_, span := tracer.Start(req.Context(), "ping")
		defer span.End()
		hits.WithLabelValues("/ping").Inc()
		api.JSON(w, http.StatusOK, `{"pong":true}`)
	})
}

// New is looked up by the server.
func New() api.Plugin { return plugin{} }
