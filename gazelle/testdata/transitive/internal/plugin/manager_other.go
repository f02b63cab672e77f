//go:build ignore

// Never built: its imports must not count.
package plugin

import _ "example.com/srv/cmd/tool"
