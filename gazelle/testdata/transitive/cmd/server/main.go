// The server: it reaches "plugin" only through internal/plugin.
package main

import "example.com/srv/internal/plugin"

func main() {
	if _, err := plugin.Load("echo.so"); err != nil {
		panic(err)
	}
}
