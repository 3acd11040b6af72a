// Package attack holds a black-box attack suite against a server that secgen
// generates. Its tests write a spec that uses every feature, generate and
// build the project with the secgen CLI, start the server over real TLS on
// a loopback port and attack it the way people attack APIs: forged tokens,
// password guessing, path tricks, CORS origin games, spoofed forwarding
// headers, floods, slow clients and weak TLS.
//
// Every test names the requirement of DESIGN.md ("Security requirements of
// the generated server") that it covers. Traffic goes only to loopback
// addresses; every loop is bounded in count and time.
package attack
