#!/usr/bin/env bash
# Load test on loopback: a generated server and a bare net/http server
# serving the same handler, driven by wrk over HTTP/1.1 keep-alive, first
# in plain HTTP (the generated server in `tls: {mode: proxy}`), then over
# TLS with one self-signed certificate for both. Prints requests/s of each
# and the ratio for the protected route (a valid token with the role).
# A third server, the bare one with the generated server's default
# timeouts, shows how much of the difference is net/http's own cost of
# those timeouts (socket deadlines on every request).
#
#   scripts/load.sh                     # 10 s per run, 2 threads, 32 connections
#   DURATION=5s CONNS=64 scripts/load.sh
#
# The generated server logs one JSON line per request (to /dev/null here)
# and keeps its default client limit switched off by the spec, so every
# request gets through; everything else of the chain runs. Network: only
# 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-10s}
conns=${CONNS:-32}
threads=${THREADS:-2}
repo=$PWD
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
	echo "installing wrk" >&2
	apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk >/dev/null
fi

# free_port prints a TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_up URL: waits until URL answers.
wait_up() {
	for _ in $(seq 100); do
		curl -sk -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "no answer from $1" >&2
	exit 1
}

# rps URL: requests/s that wrk measures on URL with the token.
rps() {
	wrk -t"$threads" -c"$conns" -d"$duration" -H "Authorization: Bearer $token" "$1" |
		awk '/^Requests\/sec:/ {print $2} /Non-2xx/ {print "non-2xx answers: " $0 > "/dev/stderr"}'
}

# The project: one route for readers, answering a small JSON body.
go build -o "$work/secgen" ./cmd/secgen
cat >"$work/spec.yaml" <<'EOF'
version: 1
name: loadapi
module: example.com/loadapi
roles: {reader: {}}
server: {tls: {mode: proxy}, trusted_proxies: ["127.0.0.1/32"]}
rate_limit: {default: "off"}
routes:
  - {name: GetItems, method: GET, path: /items, roles: [reader]}
EOF
(cd "$work" && ./secgen new app --spec spec.yaml >/dev/null)
app=$work/app
cat >"$app/internal/handlers/get_items.go" <<'EOF'
package handlers

import "net/http"

// GetItems answers a small constant JSON body, the same in both servers.
func (h *Handlers) GetItems(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write([]byte(`{"items":[]}`))
	return err
}
EOF
mkdir -p "$app/cmd/bare"
cat >"$app/cmd/bare/main.go" <<'EOF'
// Command bare serves the same handler on a plain http.ServeMux.
package main

import (
	"log"
	"net/http"
	"os"
	"time"

	"example.com/loadapi/internal/handlers"
)

func main() {
	h := handlers.New()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {
		if err := h.GetItems(w, r); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	srv := &http.Server{Addr: os.Args[1], Handler: mux}
	if os.Getenv("BARE_TIMEOUTS") != "" {
		// The timeouts the generated server has by default (spec
		// server.timeouts): net/http then sets socket deadlines on
		// every request, a cost of its own.
		srv.ReadHeaderTimeout, srv.ReadTimeout = 5*time.Second, 30*time.Second
		srv.WriteTimeout, srv.IdleTimeout = 30*time.Second, 120*time.Second
	}
	if len(os.Args) > 3 {
		log.Fatal(srv.ListenAndServeTLS(os.Args[2], os.Args[3]))
	}
	log.Fatal(srv.ListenAndServe())
}
EOF
(cd "$app" && go build -o "$work/proxy-server" ./cmd/loadapi && go build -o "$work/bare" ./cmd/bare)
sed -i 's/server: {tls: {mode: proxy}, trusted_proxies: \["127.0.0.1\/32"\]}/server: {tls: {cert_file: cert.pem, key_file: key.pem}}/' "$app/secgen.yaml"
(cd "$app" && "$work/secgen" generate >/dev/null && go build -o "$work/tls-server" ./cmd/loadapi)
openssl req -x509 -newkey ed25519 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

export LOADAPI_JWT_SECRET=load-test-secret-0123456789-abcdefghijklmnop
export LOADAPI_DATABASE_URL=$work/load.db
echo 'load-test-password' | "$work/proxy-server" user add --username bench --role reader >/dev/null

# start NAME URL CMD...: starts a server and waits for it.
start() {
	local url=$2
	shift 2
	"$@" 2>/dev/null &
	pids+=($!)
	wait_up "$url"
}

# run LABEL SCHEME SECGEN_CMD...: measures secgen and bare on one scheme.
run() {
	local label=$1 scheme=$2
	shift 2
	local sp bp tp
	sp=$(free_port)
	bp=$(free_port)
	tp=$(free_port)
	LOADAPI_ADDR=127.0.0.1:$sp start secgen "$scheme://127.0.0.1:$sp/healthz" "$@"
	local tlsargs=()
	if [ "$scheme" = https ]; then
		tlsargs=("$work/cert.pem" "$work/key.pem")
	fi
	start bare "$scheme://127.0.0.1:$bp/items" "$work/bare" "127.0.0.1:$bp" "${tlsargs[@]}"
	BARE_TIMEOUTS=1 start bare "$scheme://127.0.0.1:$tp/items" "$work/bare" "127.0.0.1:$tp" "${tlsargs[@]}"
	token=$(curl -sk "$scheme://127.0.0.1:$sp/auth/login" -H 'Content-Type: application/json' \
		-d '{"username":"bench","password":"load-test-password"}' | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
	local code
	code=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$scheme://127.0.0.1:$sp/items")
	[ "$code" = 200 ] || { echo "protected route answered $code" >&2; exit 1; }
	local s b bt
	b=$(rps "$scheme://127.0.0.1:$bp/items")
	s=$(rps "$scheme://127.0.0.1:$sp/items")
	bt=$(rps "$scheme://127.0.0.1:$tp/items")
	awk -v l="$label" -v s="$s" -v b="$b" -v bt="$bt" 'BEGIN {
		printf "%-6s bare %9.0f req/s   secgen %9.0f req/s   ratio %5.1f%% (target >= 70%%)   bare+timeouts %9.0f req/s (ratio %5.1f%%)\n", l, b, s, 100 * s / b, bt, 100 * s / bt
	}'
	kill "${pids[@]}" 2>/dev/null || true
	wait "${pids[@]}" 2>/dev/null || true
	pids=()
}

echo "GET /items with a reader's token; wrk -t$threads -c$conns -d$duration, HTTP/1.1 keep-alive, $(nproc) CPUs"
run http http "$work/proxy-server" serve
LOADAPI_TLS_CERT=$work/cert.pem LOADAPI_TLS_KEY=$work/key.pem run https https "$work/tls-server" serve
