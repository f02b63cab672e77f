// Once a plugin; now an ordinary package.
package former

func Helper() {}
