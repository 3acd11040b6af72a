// Scaffolded by secgen; this file is yours to edit.

// Command conduit serves the API of secgen.yaml: `conduit serve` (add
// -dev on a laptop) and `conduit user add|list|remove|set-roles`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	api "example.com/conduit/internal/api"
	"example.com/conduit/internal/handlers"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := api.Main(ctx, os.Args[1:], handlers.New(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
