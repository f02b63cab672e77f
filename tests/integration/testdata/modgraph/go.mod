module example.com/mg

go 1.24

require (
	github.com/google/go-cmp v0.7.0
	github.com/google/uuid v1.6.0
	github.com/puzpuzpuz/xsync/v4 v4.5.0
)
