// Command bench measures rules_go_plugin against the plain go command on the
// same work, in the same run, alternating the two so machine drift hits both.
//
//	go run ./bench                      # N = 1, 4, 16; 3 runs per row
//	go run ./bench -n 1 -runs 1 -quick  # a few minutes: incremental rows only
//	go run ./bench -rows realtree,small # only the real tree and the small workspace
//
// It prints a Markdown table (median and min-max per row, ratio bazel/go)
// and writes the numbers as JSON (-json). See bench/README.md.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	ns := flag.String("n", "1,4,16", "plugin counts")
	runs := flag.Int("runs", 3, "runs per row")
	quick := flag.Bool("quick", false, "skip the cold rows (the slow ones)")
	jsonOut := flag.String("json", "bench/results.json", "where to write the numbers")
	work := flag.String("work", filepath.Join(os.TempDir(), "rules_go_plugin_bench"), "scratch directory")
	workloadOnly := flag.String("workload", "", "only write the workload (the first -n) into this directory, to profile a build by hand")
	rowsFlag := flag.String("rows", "seed,realtree,small", "which rows: seed (the seed's workload, for each -n), realtree (a real tree's cold build), small (a small workspace)")
	flag.Parse()
	groups := map[string]bool{}
	for _, g := range strings.Split(*rowsFlag, ",") {
		switch g = strings.TrimSpace(g); g {
		case "seed", "realtree", "small":
			groups[g] = true
		default:
			fail(fmt.Sprintf("-rows: unknown group %q (seed, realtree, small)", g))
		}
	}

	repo, err := os.Getwd()
	check(err)
	if _, err := os.Stat(filepath.Join(repo, "go_plugin", "defs.bzl")); err != nil {
		fail("run from the root of the rules_go_plugin checkout")
	}
	if *workloadOnly != "" {
		n, err := strconv.Atoi(strings.Split(*ns, ",")[0])
		check(err)
		check(writeWorkload(*workloadOnly, repo, n))
		fmt.Printf("wrote the workload with %d plugin(s) to %s\n", n, *workloadOnly)
		return
	}
	res := &results{Machine: machine(), Runs: *runs, Started: time.Now().UTC().Format(time.RFC3339)}
	shutdownOnSignal()
	defer shutdownServers()
	for _, f := range strings.Split(*ns, ",") {
		if !groups["seed"] {
			break
		}
		n, err := strconv.Atoi(strings.TrimSpace(f))
		check(err)
		b := newBench(repo, filepath.Join(*work, fmt.Sprintf("n%d", n)), n, *runs)
		b.run(*quick)
		res.Rows = append(res.Rows, b.rows...)
		res.Extras = append(res.Extras, b.extras...)
	}
	if groups["small"] {
		rows, extras := runSmall(repo, *work, *runs, *quick)
		res.Rows = append(res.Rows, rows...)
		res.Extras = append(res.Extras, extras...)
	}
	if groups["realtree"] && !*quick {
		rows, extras := runRealTree(repo, *work, *runs)
		res.Rows = append(res.Rows, rows...)
		res.Extras = append(res.Extras, extras...)
	}
	res.print(os.Stdout)
	data, err := json.MarshalIndent(res, "", "  ")
	check(err)
	check(os.WriteFile(*jsonOut, append(data, '\n'), 0o644))
	fmt.Printf("\nnumbers written to %s\n", *jsonOut)
}

func machine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s, %d cores, %s/%s, %s", host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "bench:", msg)
	shutdownServers()
	os.Exit(1)
}
