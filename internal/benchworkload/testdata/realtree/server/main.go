// Command server is a web server on a real stack (chi, with an Echo and a
// Gin app mounted, Cobra and Viper for its command line and configuration,
// logrus, zerolog and zap, Prometheus, OpenTelemetry) that loads plugins
// which mount their routes on its router. With --check it serves one request
// per plugin through httptest and exits.
package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"plugin"
	"strings"
	"time"

	"bench.example/realtree/api"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"github.com/spf13/cobra"
	"github.com/spf13/viper"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
)

func main() {
	cmd := &cobra.Command{Use: "server", RunE: run}
	cmd.Flags().String("addr", "127.0.0.1:8080", "listen address")
	cmd.Flags().StringSlice("plugins", nil, "plugins to load")
	cmd.Flags().Bool("check", false, "serve one request per plugin and exit")
	viper.BindPFlags(cmd.Flags())
	viper.SetEnvPrefix("bench")
	viper.AutomaticEnv()
	if err := cmd.Execute(); err != nil {
		os.Exit(1)
	}
}

func run(cmd *cobra.Command, _ []string) error {
	logrus.SetFormatter(&logrus.JSONFormatter{})
	zl := zerolog.New(os.Stderr).With().Timestamp().Logger()
	log, _ := zap.NewProduction()
	defer log.Sync()
	otel.SetTracerProvider(sdktrace.NewTracerProvider())
	limiter := rate.NewLimiter(rate.Every(time.Millisecond), 100)

	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer, cors.Handler(cors.Options{AllowedOrigins: []string{"*"}}))
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if !limiter.Allow() {
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			next.ServeHTTP(w, req)
		})
	})
	r.Handle("/metrics", promhttp.Handler())

	e := echo.New()
	e.Use(echomw.Recover())
	e.GET("/echo/hello", func(c echo.Context) error { return c.String(http.StatusOK, "hello from echo") })
	r.Mount("/echo", e)

	gin.SetMode(gin.ReleaseMode)
	g := gin.New()
	g.GET("/gin/hello", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"hello": "gin"}) })
	r.Mount("/gin", g)

	var names []string
	for _, path := range viper.GetStringSlice("plugins") {
		p, err := plugin.Open(path)
		if err != nil {
			return err
		}
		sym, err := p.Lookup("New")
		if err != nil {
			return err
		}
		newPlugin, ok := sym.(func() api.Plugin)
		if !ok {
			return fmt.Errorf("%s: New is a %T, not a func() api.Plugin", path, sym)
		}
		pl := newPlugin()
		r.Route("/"+pl.Name(), pl.Mount)
		names = append(names, pl.Name())
		logrus.WithField("plugin", pl.Name()).Info("loaded")
	}
	if viper.GetBool("check") {
		for _, path := range []string{"/echo/hello", "/gin/hello", "/metrics/ping"} {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
			fmt.Println(path, rec.Code)
		}
		fmt.Println("plugins:", strings.Join(names, ","))
		return nil
	}
	zl.Info().Str("addr", viper.GetString("addr")).Msg("listening")
	log.Info("listening", zap.String("addr", viper.GetString("addr")))
	return http.ListenAndServe(viper.GetString("addr"), r)
}
