// Package pluginapi is the contract between the host and its plugins: both
// import it, so it is compiled once per variant and has one hash in both.
package pluginapi

// Request is what the host asks of a plugin.
type Request struct {
	Name string
}

// Response is what a plugin answers.
type Response struct {
	Message string
}

// Plugin is what every plugin's New returns.
type Plugin interface {
	Name() string
	Handle(Request) (Response, error)
}

// Factory is the type of the New symbol every plugin exports.
type Factory = func() Plugin
