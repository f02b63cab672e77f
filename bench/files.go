package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// bazelrc is every workload's .bazelrc: the host's validation runs with
// the build, as in a user's workspace.
const bazelrc = "build --nosandbox_debug\nbuild --experimental_run_validations\n"

// workspaceFile is a workload's WORKSPACE: this checkout's ruleset, the
// offline stand-ins Bazel 4.2.3 needs here, and the SDK registered by
// register (a go_plugin_register_toolchains call).
func workspaceFile(repo, register string) string {
	return fmt.Sprintf(`workspace(name = "bench")

local_repository(name = "rules_go_plugin", path = %q)

load("@rules_go_plugin//tools/offline_bazel:repositories.bzl", "offline_bazel_repositories")

offline_bazel_repositories(path = %q)

load("@rules_go_plugin//go_plugin:repositories.bzl", "go_plugin_register_toolchains", "rules_go_plugin_dependencies")

rules_go_plugin_dependencies()

%s
`, repo, filepath.Join(repo, "tools", "offline_bazel"), register)
}

// writeFiles writes files (paths relative to dir) into dir.
func writeFiles(dir string, files map[string]string) error {
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// copyDir copies the regular files of the tree from into to.
func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return writeFiles(to, map[string]string{rel: string(data)})
	})
}

// starlarkList is a Starlark list of strings.
func starlarkList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
