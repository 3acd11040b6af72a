#!/usr/bin/env bash
# Times the whole `secgen generate` process (start, spec, render, write) on
# generated specs of 1000 and 5000 routes, the same specs as the generator
# benchmarks (benchSpec in generator/bench_test.go), and prints the ratio.
# Two runs are timed per size: a fresh project (every file written) and a
# regeneration (nothing changes, every file compared). The regeneration
# is timed with hyperfine (and jq to read its result) when both are
# installed, else with a loop of `date +%s%N` reporting the median. Each
# fresh run writes into a folder of its own, made before the timing and
# removed after all of them, timed with the `date` loop.
#
#   scripts/bench-generate.sh            # 1000 and 5000 routes
#   RUNS=20 scripts/bench-generate.sh    # more runs per measurement
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/secgen" ./cmd/secgen

# spec N: the spec of N routes, groups of 500 under /vG, four routes per
# resource.
spec() {
	awk -v n="$1" 'BEGIN {
		print "version: 1\nname: bench\nmodule: example.com/bench"
		print "roles:\n  admin: {inherits: [editor]}\n  editor: {inherits: [reader]}\n  reader: {}"
		print "groups:"
		for (i = 0; i < n; i++) {
			if (i % 500 == 0) printf "  - prefix: /v%d\n    routes:\n", i / 500
			r = "/res" int(i / 4)
			k = i % 4
			if (k == 0) printf "      - {method: GET, path: %s, public: true}\n", r
			if (k == 1) printf "      - {method: POST, path: %s, roles: [editor], max_body: 64KiB}\n", r
			if (k == 2) printf "      - {method: GET, path: \"%s/{id}\"}\n", r
			if (k == 3) printf "      - {method: DELETE, path: \"%s/{id}\", roles: [admin], rate_limit: 10/minute}\n", r
		}
	}'
}

# median_ms CMD...: runs CMD $runs times and prints the median wall time.
median_ms() {
	local times=()
	for _ in $(seq "$runs"); do
		local start end
		start=$(date +%s%N)
		"$@" >/dev/null
		end=$(date +%s%N)
		times+=($(((end - start) / 1000000)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

# fresh_ms N: the median wall time of generating the N-route spec into a
# new, empty folder, one per run. Folders are made before and removed
# after all the runs: on ext4, creating files right after thousands were
# deleted costs several times more (the kernel avoids reusing recently
# freed inodes), which a remove between runs would put into every timing
# though a user's first generate never pays it.
fresh_ms() {
	local n=$1 times=()
	for i in $(seq "$runs"); do
		mkdir -p "$work/fresh$n-$i"
		cp "$work/p$n/secgen.yaml" "$work/fresh$n-$i/"
	done
	sync
	for i in $(seq "$runs"); do
		local start end
		start=$(date +%s%N)
		"$work/secgen" generate --spec "$work/fresh$n-$i/secgen.yaml" >/dev/null
		end=$(date +%s%N)
		times+=($(((end - start) / 1000000)))
	done
	rm -rf "$work"/fresh"$n"-*
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

declare -A result
for n in 1000 5000; do
	dir="$work/p$n"
	mkdir -p "$dir"
	spec "$n" >"$dir/secgen.yaml"
	gen="$work/secgen generate --spec $dir/secgen.yaml"
	echo "== $n routes ($(wc -c <"$dir/secgen.yaml") bytes of spec)"
	if command -v hyperfine >/dev/null && command -v jq >/dev/null; then
		hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/r$n.json" "$gen" >/dev/null
		result[regen$n]=$(jq '.results[0].median * 1000 | round' "$work/r$n.json")
		user=$(jq '.results[0].user * 1000 | round' "$work/r$n.json")
		sys=$(jq '.results[0].system * 1000 | round' "$work/r$n.json")
		echo "regenerate: median ${result[regen$n]} ms wall (mean CPU ${user} ms user, ${sys} ms sys)"
	else
		$gen >/dev/null
		result[regen$n]=$(median_ms $gen)
		echo "regenerate: median ${result[regen$n]} ms wall"
	fi
	result[fresh$n]=$(fresh_ms "$n")
	echo "fresh:      median ${result[fresh$n]} ms wall (a new folder each run)"
done
awk -v a="${result[regen1000]}" -v b="${result[regen5000]}" -v c="${result[fresh1000]}" -v d="${result[fresh5000]}" 'BEGIN {
	printf "5000/1000 routes: %.2fx regenerating, %.2fx fresh (target < 6x); 1000 routes target < 300 ms\n", b / a, d / c
}'
