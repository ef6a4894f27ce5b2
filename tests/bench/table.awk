# SPDX-License-Identifier: GPL-2.0
# The benchmark's report (run-bench): markdown on stdout from two files,
#   1. the icount plugin's counts, one line per counted interval (empty
#      without the plugin);
#   2. the guest's result lines (tab-separated): "time LABEL NS",
#      "icount LABEL" (one per counted interval, in the plugin's order),
#      "boot NAME MS KIB MAPBYTES", "kernel RELEASE", "landlock-abi N",
#      "lsm-progs N" (BPF LSM programs attached before the run),
#      "forwarder ..." (forwarder-bench says which fields).
# Variables: where, machine, date, cmd, quick. Exits 1, after the table,
# when any measurement has no number: what the smoke asserts.

FILENAME == ARGV[1] { counts[++ncounts] = $0; next }
$1 == "kernel" { kernel = $2 }
$1 == "landlock-abi" { abi = $2 }
$1 == "lsm-progs" { others = $2 }
$1 == "time" { ns[$2] = $3; measured[$2] = 1 }
# Every count of a label, for its median: most operations count the same
# each time, but a fork+exec+wait varies by a few percent (page faults,
# allocator refills, a timer tick), and the median of many is stable where
# the smallest is not.
$1 == "icount" {
	measured[$2] = 1
	c = counts[++icounted]
	if (c ~ /^[0-9]+$/)
		icounts[$2, ++nicounts[$2]] = c + 0
}
$1 == "forwarder" {
	split("records burst_rate arrived lost rate fwd_us journald_us hwm_kib idle_ticks idle_s", field, " ")
	for (i = 1; i in field; i++) fwd[field[i]] = $(i + 1)
}
$1 == "boot" { boot_ms[$2] = $3; boot_kib[$2] = $4; boot_mem[$2] = $5; boots[++nboots] = $2 }

function median(label,    n, i, j, v, sorted) {
	n = nicounts[label]
	for (i = 1; i <= n; i++) {
		v = icounts[label, i]
		for (j = i - 1; j >= 1 && sorted[j] > v; j--)
			sorted[j + 1] = sorted[j]
		sorted[j + 1] = v
	}
	return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}
function us(label) {
	if (!(label in ns)) return "-"
	return sprintf("%.2f µs", ns[label] / 1000)
}
function icount(label) {
	if (!counted) return "-"
	if (!(label in ins)) return "-"
	return sprintf("%d", ins[label])
}
# The figure targets are judged on: instructions when counted (exact), else time.
function m(label) { return counted ? ins[label] : ns[label] }
function ratio(v, base) { return (v > 0 && base > 0) ? sprintf("%.3f×", v / base) : "-" }
function cell(abs, v, base, first) { return first ? abs : abs " (" ratio(v, base) ")" }
# target WHAT OPERATION RATIO LIMIT [SPREAD]: a verdict, said to be within
# the noise when "no bpfjailer" measured twice differed by more than the margin.
function target(what, op, got, limit, spread,    verdict) {
	verdict = (got == "" || got > limit) ? "**MISS**" : "PASS"
	if (got != "" && spread >= 0.001 && got - limit <= spread && limit - got <= spread)
		verdict = verdict sprintf(" (within this run's noise, ±%.1f%%)", spread * 100)
	printf "| %s | %s | %s | ≤ %s | %s |\n", what, op, got == "" ? "-" : sprintf("%.3f", got), limit, verdict
}
# How far "no bpfjailer" moved between the first state and the last, as a fraction.
function drift(o,    first, again) {
	first = m("main:none:" op[o]); again = m("main:again:" op[o])
	if (!(first > 0 && again > 0)) return 0
	return again > first ? again / first - 1 : 1 - again / first
}
# What run-bench's policy NAME holds, for the bootstrap table.
function policy_name(name) {
	if (name == "main") return "the states' (allow-all role; realistic role: 50 path, 20 port rules)"
	if (name == "default") return "built-in default"
	if (name ~ /^rules-/) return substr(name, 7) " path rules"
	if (name ~ /^exec-/) return substr(name, 6) " exec enrollments"
	if (name == "ports-1") return "1 TCP port rule"
	if (name ~ /^ports-/) return "1 TCP rule for ports 1-" substr(name, 7)
	return name
}
function kb(bytes) { return sprintf("%.1f KiB", bytes / 1024) }

END {
	counted = ncounts > 0
	for (l in nicounts)
		ins[l] = median(l)
	nstates = split("none unenrolled allow-all realistic landlock floor again", state, " ")
	split("no bpfjailer|loaded, not enrolled|enrolled, allow-all role|enrolled, realistic role|Landlock, same rules|floor: empty BPF LSM|no bpfjailer again, last (noise)", sname, "|")
	nops = split("open stat tcp udp exec", op, " ")
	split("open+close, 8 dirs deep|stat, 8 dirs deep|TCP connect+accept+close, loopback|UDP sendto (+recv), loopback|fork+exec+wait, static binary", oname, "|")

	print "## Benchmark: what the jail costs" (quick ? " (--quick: smoke, not measurements)" : "")
	print ""
	print "- Machine: " machine
	print "- Where: " where
	print "- Kernel: " kernel (abi != "" ? ", Landlock ABI " abi : "") (abi != "" && abi < 4 ? " (no network rules before ABI 4: Landlock's rows restrict files only)" : "")
	if (others > 0)
		print "- " others " BPF LSM programs of others were attached before the run: they are in every state, \"no bpfjailer\" too."
	print "- Date: " date
	print "- Command: `" cmd "`"
	print "- Times: median over batches of a tight loop, pinned to CPU 0, per operation."
	if (counted)
		print "- Instructions: guest instructions per operation, user and kernel (icount plugin), the median of several single operations. Exact and repeatable (fork+exec+wait to about 1%): targets are judged on them, not on the times."
	else
		print "- Instructions: not counted (no icount plugin); targets are judged on the times."
	if (where ~ /^TCG/)
		print "- Under emulation absolute times are meaningless; only ratios between states of this one run are."
	print ""
	for (pass = 1; pass <= 1 + counted; pass++) {
		print (pass == 1 ? "### Time per operation" : "### Guest instructions per operation") " (ratio to no bpfjailer)"
		print ""
		head = "| operation |"; rule = "|---|"
		for (s = 1; s <= nstates; s++) { head = head " " sname[s] " |"; rule = rule "---|" }
		print head; print rule
		for (o = 1; o <= nops; o++) {
			line = "| " oname[o] " |"
			base = "main:none:" op[o]
			for (s = 1; s <= nstates; s++) {
				l = "main:" state[s] ":" op[o]
				line = line " " (pass == 1 ? cell(us(l), ns[l], ns[base], s == 1) : cell(icount(l), ins[l], ins[base], s == 1)) " |"
			}
			print line
		}
		print ""
	}

	print "### open+close against path depth (" (counted ? "instructions" : "time") ", ratio to no bpfjailer at that depth)"
	print ""
	print head; print rule
	for (d = 1; d <= 3; d++) {
		depth = d == 1 ? 2 : d == 2 ? 8 : 32
		line = "| " depth " dirs deep |"
		for (s = 1; s <= nstates; s++) {
			l = depth == 8 ? "main:" state[s] ":open" : "depth:" state[s] ":" depth
			b = depth == 8 ? "main:none:open" : "depth:none:" depth
			line = line " " cell(counted ? icount(l) : us(l), m(l), m(b), s == 1) " |"
		}
		print line
	}
	print ""

	print "### Scaling (ratio to the first row)"
	print ""
	print "| what | size | time | instructions | ratio |"
	print "|---|---|---|---|---|"
	nscale = 0
	for (b = 1; b <= nboots; b++) {
		n = boots[b]
		if (n ~ /^rules-/) { l = "rules:" substr(n, 7) ":open"; what = "open+close, path rules"; size = substr(n, 7) }
		else if (n ~ /^exec-/) { l = "exectab:" substr(n, 6) ":exec"; what = "fork+exec+wait, exec-enrollment table"; size = substr(n, 6) }
		else if (n ~ /^ports-/) { l = n ":tcp"; what = "TCP connect, one allow rule covering"; size = substr(n, 7) " port" (n == "ports-1" ? "" : "s") }
		else continue
		if (what != lastwhat) { first = l; lastwhat = what; groups[++nscale] = l; gwhat[l] = what; gsize[l] = size }
		last[first] = l; lastsize[first] = size
		printf "| %s | %s | %s | %s | %s |\n", what, size, us(l), icount(l), ratio(m(l), m(first))
	}
	print ""

	print "### Bootstrap and kernel memory"
	print ""
	print "| policy | wall time | peak RSS | kernel memory of its maps |"
	print "|---|---|---|---|"
	for (b = 1; b <= nboots; b++)
		printf "| %s | %.0f ms | %.1f MiB | %s |\n", policy_name(boots[b]), boot_ms[boots[b]], boot_kib[boots[b]] / 1024,
			kb(boot_mem[boots[b]])
	print ""

	if ("rate" in fwd) {
		print "### Forwarder (" fwd["records"] " denials in a burst, into a systemd-journald of its own)"
		print ""
		print "| what | measured |"
		print "|---|---|"
		printf "| records per second into journald | %d (the burst came at %d/s: %d records arrived, %d were lost while the buffer was full) |\n",
			fwd["rate"], fwd["burst_rate"], fwd["arrived"], fwd["lost"]
		printf "| forwarder CPU time per record | %.1f µs |\n", fwd["fwd_us"]
		printf "| journald CPU time per record | %.1f µs |\n", fwd["journald_us"]
		printf "| forwarder peak RSS | %.1f MiB |\n", fwd["hwm_kib"] / 1024
		printf "| forwarder CPU while idle | %d clock ticks in %d s |\n", fwd["idle_ticks"], fwd["idle_s"]
		print ""
	}

	print "### Targets (" (counted ? "instructions" : "time") ")"
	print ""
	print "| target | operation | measured ratio | target | verdict |"
	print "|---|---|---|---|---|"
	for (o = 1; o <= nops; o++) {
		l = "main:unenrolled:" op[o]; b = "main:none:" op[o]
		target("not enrolled / no bpfjailer", oname[o], m(b) ? m(l) / m(b) : "", 1.02, drift(o))
	}
	for (o = 1; o <= nops; o++) {
		l = "main:realistic:" op[o]; b = "main:landlock:" op[o]
		target("enrolled, realistic / Landlock", oname[o], m(b) ? m(l) / m(b) : "", 1.00, drift(o))
	}
	for (o = 1; o <= nops; o++) {
		l = "main:realistic:" op[o]; b = "main:floor:" op[o]
		target("enrolled, realistic / empty-program floor", oname[o], m(b) ? m(l) / m(b) : "", 1.10, drift(o))
	}
	for (g = 1; g <= nscale; g++) {
		l = groups[g]
		if (l == last[l]) continue
		target("flat: largest / smallest", gwhat[l] " " gsize[l] " → " lastsize[l], m(l) ? m(last[l]) / m(l) : "", 1.10)
	}
	if ("default" in boot_ms)
		printf "| bootstrap, default policy | wall time | %.0f ms | < 100 ms | %s |\n", boot_ms["default"],
			boot_ms["default"] < 100 ? "PASS" : "**MISS**" (where ~ /^TCG/ ? " (emulated: see docs/performance.md)" : "")
	if ("idle_ticks" in fwd)
		printf "| forwarder, idle (no busy polling) | CPU time | %d ticks in %d s | 0 | %s |\n", fwd["idle_ticks"],
			fwd["idle_s"], fwd["idle_ticks"] == 0 ? "PASS" : "**MISS**"
	print ""
	if (!("rate" in fwd))
		missing = missing " forwarder"
	for (l in measured) {
		if (!(l in ns)) missing = missing " " l " (time)"
		if (counted && !(l in ins)) missing = missing " " l " (instructions)"
	}
	for (s = 1; s <= nstates; s++)
		for (o = 1; o <= nops; o++)
			if (!(("main:" state[s] ":" op[o]) in measured)) missing = missing " main:" state[s] ":" op[o]
	if (missing != "") {
		print "run-bench: no number for:" missing > "/dev/stderr"
		exit 1
	}
}
