// The stamping fixture is a module of its own (its import paths are example.com/stamp/...),
// so the root module's ./... leaves it to Bazel.
module example.com/stamp

go 1.26
