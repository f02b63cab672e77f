package main

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// row is one measured scenario for one plugin count, both ways.
type row struct {
	N     int       `json:"n"`
	Name  string    `json:"row"`
	Go    []float64 `json:"go_seconds"`
	Bazel []float64 `json:"bazel_seconds"`
}

// extra is a single number that has no go/bazel pair of runs.
type extra struct {
	N     int    `json:"n"`
	Name  string `json:"name"`
	Go    string `json:"go"`
	Bazel string `json:"bazel"`
}

type results struct {
	Machine string  `json:"machine"`
	Started string  `json:"started"`
	Runs    int     `json:"runs"`
	Rows    []row   `json:"rows"`
	Extras  []extra `json:"extras"`
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(xs []float64) string {
	if len(xs) == 0 {
		return "-"
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 1 {
		return fmt.Sprintf("%.2f", s[0])
	}
	return fmt.Sprintf("%.2f (%.2f-%.2f)", median(s), s[0], s[len(s)-1])
}

func (r *results) print(w io.Writer) {
	fmt.Fprintf(w, "\nMachine: %s; %d run(s) per row; %s\n\n", r.Machine, r.Runs, r.Started)
	fmt.Fprintln(w, "| N | row | go command, s | rules_go_plugin, s | ratio |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, x := range r.Rows {
		ratio := "-"
		if g := median(x.Go); g > 0 {
			ratio = fmt.Sprintf("%.2fx", median(x.Bazel)/g)
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s |\n", x.N, x.Name, spread(x.Go), spread(x.Bazel), ratio)
	}
	if len(r.Extras) > 0 {
		fmt.Fprintln(w, "\n| N | measure | go command | rules_go_plugin |")
		fmt.Fprintln(w, "|---|---|---|---|")
		for _, e := range r.Extras {
			fmt.Fprintf(w, "| %d | %s | %s | %s |\n", e.N, e.Name, e.Go, e.Bazel)
		}
	}
}
