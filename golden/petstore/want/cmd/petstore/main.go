// Scaffolded by secgen; this file is yours to edit.

// Command petstore serves the API of secgen.yaml: `petstore serve` (add
// -dev on a laptop) and `petstore user add|list|remove|set-roles`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	api "example.com/petstore/internal/api"
	"example.com/petstore/internal/handlers"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := api.Main(ctx, os.Args[1:], handlers.New(), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
