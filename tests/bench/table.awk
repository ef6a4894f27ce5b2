# SPDX-License-Identifier: GPL-2.0
# The benchmark's report (run-bench): markdown on stdout from two files,
#   1. the icount plugin's counts, one line per counted interval (empty
#      without the plugin);
#   2. the guest's result lines (tab-separated): "time LABEL NS",
#      "icount LABEL" (one per counted interval, in the plugin's order),
#      "boot NAME MS KIB MAPBYTES", "kernel RELEASE", "landlock-abi N",
#      "lsm-progs N" (BPF LSM programs attached before the run),
#      "hooks OP N" (the floor's programs run per operation, a mean),
#      "forwarder ..." (forwarder-bench says which fields).
# Variables: where, machine, date, cmd, quick; targets: the targets file
# (its header says what a row means); before (optional): an earlier report
# whose instruction counts the tables show as "before → now" (before_name:
# its name in the table, when not the path itself); ci: "true"
# makes a run without instruction counts fail instead of going unchecked.
# Exits 1, after the table, when any measurement has no number (what the
# smoke asserts) or, with instruction counts, when a target's value is worse
# than its regression bound (what the check asserts); stderr names each.
# Exits 2 at once when the targets or the before file cannot be used.

BEGIN {
	nstates = split("none unenrolled allow-all realistic landlock floor again", state, " ")
	split("no bpfjailer|loaded, not enrolled|enrolled, allow-all role|enrolled, realistic role|Landlock, same rules|floor: empty BPF LSM|no bpfjailer again, last (noise)", sname, "|")
	split("no bpfjailer|not enrolled|enrolled, allow-all|enrolled, realistic|Landlock|empty-program floor|no bpfjailer again", tname, "|")
	for (s = 1; s <= nstates; s++) sidx[state[s]] = s
	nops = split("open stat tcp udp exec", op, " ")
	split("open+close, 8 dirs deep|stat, 8 dirs deep|TCP connect+accept+close, loopback|UDP sendto (+recv), loopback|fork+exec+wait, static binary", oname, "|")
	for (o = 1; o <= nops; o++) oidx[op[o]] = o
	ndepths = split("2 8 32 64", depths, " ")
	split("open+close, path rules|fork+exec+wait, exec-enrollment table|TCP connect, one allow rule covering", x, "|")
	swhat["rules"] = x[1]; swhat["exectab"] = x[2]; swhat["ports"] = x[3]
	sop["rules"] = "open"; sop["exectab"] = "exec"; sop["ports"] = "tcp"
	read_targets()
	if (before != "")
		read_before()
}
# A file that cannot be used ends the report before it starts (awk runs END
# after an exit: it returns at once on "fatal").
function die(msg) {
	print "run-bench: " msg > "/dev/stderr"
	fatal = 1
	exit 2
}
function num(s) { return s ~ /^[0-9]+(\.[0-9]+)?$/ }

# The targets file: KIND STATE OVER OPERATION HOOKS TARGET BOUND a line.
function read_targets(    line, r, ln, n, f, k, where_) {
	if (targets == "")
		die("table.awk: no targets file (-v targets=FILE)")
	while ((r = (getline line < targets)) > 0) {
		ln++
		if (line ~ /^[ \t]*(#|$)/)
			continue
		where_ = targets ":" ln ": "
		n = split(line, f, /[ \t]+/)
		if (n != 7)
			die(where_ "7 fields expected (KIND STATE OVER OPERATION HOOKS TARGET BOUND), found " n)
		k = f[1]
		if (k == "ratio" || k == "per-hook") {
			if (!(f[2] in sidx) || !(f[3] in sidx))
				die(where_ f[2] " over " f[3] ": not states (" join_states() ")")
			if (f[4] == "open@8") f[4] = "open"
			if (!(f[4] in oidx) && f[4] !~ /^open@(2|32|64)$/)
				die(where_ f[4] ": not an operation (open, open@2, open@32, open@64, stat, tcp, udp, exec)")
		} else if (k == "flat") {
			if (!(f[2] in swhat))
				die(where_ f[2] ": not a scaling series (rules, exectab, ports)")
		} else if (k == "boot-ms" || k == "idle-ticks") {
			if (f[7] != "-")
				die(where_ k ": a time, never checked: its BOUND must be -")
		} else
			die(where_ k ": not a kind (ratio, per-hook, flat, boot-ms, idle-ticks)")
		if (k == "per-hook" && !(f[5] ~ /^[1-9][0-9]*$/))
			die(where_ f[5] ": per-hook needs HOOKS, how many hooks the operation passes (1 or more)")
		if (f[6] != "-" && !num(f[6]) || f[7] != "-" && !num(f[7]))
			die(where_ f[6] " " f[7] ": TARGET and BOUND are numbers or -")
		# A bound is the target, or looser where the target is not met yet.
		if (f[6] != "-" && f[7] != "-" && f[7] + 0 < f[6] + 0)
			die(where_ "BOUND " f[7] " is below TARGET " f[6])
		nt++
		tkind[nt] = k; tstate[nt] = f[2]; tover[nt] = f[3]; top[nt] = f[4]; thooks[nt] = f[5] + 0
		ttarget[nt] = f[6]; tbound[nt] = f[7]; tline[nt] = targets ":" ln
	}
	if (r < 0)
		die(targets ": cannot read it")
	close(targets)
	if (!nt)
		die(targets ": no targets in it")
}
function join_states(    s, j) {
	for (s = 1; s <= nstates; s++) j = j (s > 1 ? " " : "") state[s]
	return j
}

# The instruction counts of an earlier report, from its "## Benchmark"
# section: prev[SECTION, ROW, COLUMN] with SECTION main (the instruction
# table), depth or scale (ROW "what|size", COLUMN instructions). A cell
# "before → now" gives its "now": the earlier report's own figure.
function read_before(    line, r, inb, found, sec, nhdr, hdr, n, c, i, v) {
	while ((r = (getline line < before)) > 0) {
		if (line ~ /^## /) {
			inb = line ~ /^## Benchmark/
			if (inb) found = 1
			sec = ""
			continue
		}
		if (!inb)
			continue
		if (line ~ /^- Date: /)
			before_date = substr(line, 9)
		if (line ~ /^### /) {
			sec = ""
			if (line ~ /^### Guest instructions per operation/) sec = "main"
			if (line ~ /^### open\+close against path depth \(instructions/) sec = "depth"
			if (line ~ /^### Scaling/) sec = "scale"
			nhdr = 0
			continue
		}
		if (sec == "" || line !~ /^\|/ || line ~ /^\|-/)
			continue
		n = split(line, c, / *\| */)
		if (!nhdr) {
			for (i = 2; i < n; i++) hdr[i] = c[i]
			nhdr = n
			continue
		}
		for (i = sec == "scale" ? 4 : 3; i < n; i++) {
			v = cell_number(c[i])
			if (v == "" || sec == "scale" && hdr[i] != "instructions")
				continue
			prev[sec, sec == "scale" ? c[2] "|" c[3] : c[2], sec == "scale" ? "" : hdr[i]] = v
			nprev++
		}
	}
	if (r < 0)
		die("--before " before ": cannot read it")
	close(before)
	if (!found)
		die("--before " before ": no \"## Benchmark\" section (an earlier bench.md, or docs/performance.md)")
	if (!nprev)
		die("--before " before ": no instruction counts in its tables (a run without the icount plugin?)")
}
function cell_number(cell) {
	sub(/.*→ */, "", cell)
	return match(cell, /^[0-9]+/) ? substr(cell, 1, RLENGTH) + 0 : ""
}
# The earlier report's count for LABEL, or "".
function prev_of(l,    p, key) {
	split(l, p, ":")
	if (p[1] == "main") key = "main" SUBSEP oname[oidx[p[3]]] SUBSEP sname[sidx[p[2]]]
	else if (p[1] == "depth") key = "depth" SUBSEP p[3] " dirs deep" SUBSEP sname[sidx[p[2]]]
	else key = "scale" SUBSEP srow[l] SUBSEP ""
	return key in prev ? prev[key] : ""
}

FILENAME == ARGV[1] { counts[++ncounts] = $0; next }
$1 == "kernel" { kernel = $2 }
$1 == "landlock-abi" { abi = $2 }
$1 == "lsm-progs" { others = $2 }
$1 == "time" { ns[$2] = $3; measured[$2] = 1 }
$1 == "hooks" { hooks_run[$2] = $3 }
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
# A count, as "before → now" when the earlier report has one.
function icount(label,    b) {
	if (!counted) return "-"
	if (!(label in ins)) return "-"
	b = before != "" ? prev_of(label) : ""
	return (b != "" ? b " → " : "") sprintf("%d", ins[label])
}
# A count or a time, "" when there is none (an awk array grows on every
# look-up, and the check for missing numbers looks at what is in them).
function I(label) { return label in ins ? ins[label] : "" }
function T(label) { return label in ns ? ns[label] : "" }
# The figure targets are judged on: instructions when counted (exact), else time.
function m(label) { return counted ? I(label) : T(label) }
function ratio(v, base) { return (v > 0 && base > 0) ? sprintf("%.3f×", v / base) : "-" }
function cell(abs, v, base, first) { return first ? abs : abs " (" ratio(v, base) ")" }
# The label of STATE's measurement of operation K (open is 8 deep, open@D D deep).
function label(st, k) { return k ~ /^open@/ ? "depth:" st ":" substr(k, 6) : "main:" st ":" k }
function opdesc(k) { return k ~ /^open@/ ? "open+close, " substr(k, 6) " dirs deep" : oname[oidx[k]] }
# How far "no bpfjailer" moved between the first state and the last, for
# operation K, as a fraction: the run's own noise.
function drift(k,    first, again) {
	first = m(label("none", k)); again = m(label("again", k))
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
# A failure of the check, reported after the table.
function fail(msg) { failures[++nfail] = msg }

# One row of the targets file: its value (and the earlier report's) into
# v and vb, the text of its cells, and its verdict; a failure when a
# checked value is worse than its bound.
function judge(t,    k, a, b, w, desc, what, v, vb, noise, fmt, tg, bd, verdict, base, h, shown) {
	k = tkind[t]; tg = ttarget[t]; bd = tbound[t]; v = vb = ""; noise = 0; fmt = "%.3f"
	if (k == "ratio") {
		a = label(tstate[t], top[t]); b = label(tover[t], top[t])
		what = tname[sidx[tstate[t]]] " / " tname[sidx[tover[t]]]
		desc = opdesc(top[t])
		if (m(a) > 0 && m(b) > 0) v = m(a) / m(b)
		if (prev_of(a) > 0 && prev_of(b) > 0) vb = prev_of(a) / prev_of(b)
		noise = drift(top[t])
	} else if (k == "per-hook") {
		a = label(tstate[t], top[t]); b = label(tover[t], top[t]); h = thooks[t]
		what = tname[sidx[tstate[t]]] " − " tname[sidx[tover[t]]] ", instructions per hook"
		desc = opdesc(top[t]) " (" h " hook" (h > 1 ? "s" : "") ")"
		fmt = "%+.1f"
		if (counted && I(a) != "" && I(b) != "") v = (I(a) - I(b)) / h
		if (prev_of(a) != "" && prev_of(b) != "") vb = (prev_of(a) - prev_of(b)) / h
		if (counted) {
			noise = I(label("again", top[t])) - I(label("none", top[t]))
			noise = (noise < 0 ? -noise : noise) / h
		}
		base = top[t]; sub(/@.*/, "", base)
		if (!(base in hooks_run))
			missing = missing " hooks:" base
		else if (int(hooks_run[base] + 0.5) != h)
			fail(opdesc(base) ": passes " int(hooks_run[base] + 0.5) " of bpfjailer's hooks in this run (" hooks_run[base] \
			     " a mean), " tline[t] " says " h ": correct HOOKS there")
	} else if (k == "flat") {
		a = sfirst[tstate[t]]; b = slast[tstate[t]]
		what = "flat: largest / smallest"
		desc = swhat[tstate[t]] (a != "" ? " " ssize[a] " → " ssize[b] : "")
		if (a != "" && a != b && m(a) > 0 && m(b) > 0) v = m(b) / m(a)
		if (a != "" && prev_of(a) > 0 && prev_of(b) > 0) vb = prev_of(b) / prev_of(a)
		noise = drift(sop[tstate[t]])
	} else if (k == "boot-ms") {
		what = "bootstrap, default policy"; desc = "wall time"; fmt = "%.0f ms"
		if ("default" in boot_ms) v = boot_ms["default"]
	} else if (k == "idle-ticks") {
		what = "forwarder, idle (no busy polling)"; desc = "CPU time"; fmt = "%d ticks in " fwd["idle_s"] " s"
		if ("idle_ticks" in fwd) v = fwd["idle_ticks"]
	}
	# Judged as shown: 1.0504 is the 1.050 of the table.
	if (v != "") { shown = sprintf(fmt, v); v = sprintf(fmt == "%.3f" ? fmt : "%.1f", v) + 0 }
	if (ratiolike(k)) noise *= v
	if (tg == "-")
		verdict = "reported"
	else {
		verdict = (v == "" || v > tg + 0) ? "**MISS**" : "PASS"
		if (v != "" && noise > 0 && v - tg <= noise && tg - v <= noise && k == "per-hook")
			verdict = verdict sprintf(" (within this run's noise, ±%.0f per hook)", noise)
		else if (v != "" && noise > 0 && v - tg <= noise && tg - v <= noise)
			verdict = verdict sprintf(" (within this run's noise, ±%.1f%%)", noise / v * 100)
		if (k == "boot-ms" && v > tg + 0 && where ~ /^TCG/)
			verdict = verdict " (emulated: see docs/performance.md)"
	}
	# The check: instruction counts only, never times.
	if (bd != "" && bd != "-") {
		nchecked++
		if (counted && v == "")
			fail(what ", " desc ": no number to judge (" tline[t] ")")
		else if (counted && v > bd + 0) {
			fail(what ", " desc ": " shown " is over its regression bound " bd \
			     (tg != "-" ? " (target " tg ")" : "") ", " tline[t])
			verdict = verdict ", **over its bound**"
		}
	}
	w = "| " what " | " desc " |"
	if (before != "")
		w = w " " (vb == "" ? "-" : sprintf(fmt, vb)) " |"
	w = w " " (v == "" ? "-" : shown) " | " (tg == "-" ? "-" : "≤ " tg (k == "boot-ms" ? " ms" : "")) " | " \
	    (bd == "-" ? "-" : "≤ " bd) " | " verdict " |"
	print w
}
function ratiolike(k) { return k == "ratio" || k == "flat" }

END {
	if (fatal)
		exit 2
	counted = ncounts > 0
	for (l in nicounts)
		ins[l] = median(l)
	# The scaling series, from the loads in their order.
	for (b = 1; b <= nboots; b++) {
		n = boots[b]
		if (n ~ /^rules-/) { l = "rules:" substr(n, 7) ":open"; sr = "rules"; size = substr(n, 7) }
		else if (n ~ /^exec-/) { l = "exectab:" substr(n, 6) ":exec"; sr = "exectab"; size = substr(n, 6) }
		else if (n ~ /^ports-/) { l = n ":tcp"; sr = "ports"; size = substr(n, 7) " port" (n == "ports-1" ? "" : "s") }
		else continue
		scaled[++nscaled] = l; sseries[l] = sr; ssize[l] = size; srow[l] = swhat[sr] "|" size
		if (!(sr in sfirst)) sfirst[sr] = l
		slast[sr] = l
	}

	print "## Benchmark: what the jail costs" (quick ? " (--quick: the counts are measured, the times only a smoke)" : "")
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
	if (before != "")
		print "- Before: instruction counts shown as \"before → now\", before from `" (before_name != "" ? before_name : before) "`" (before_date != "" ? " (run of " before_date ")" : "") "; ratios are now's."
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
				line = line " " (pass == 1 ? cell(us(l), T(l), T(base), s == 1) : cell(icount(l), I(l), I(base), s == 1)) " |"
			}
			print line
		}
		print ""
	}

	print "### open+close against path depth (" (counted ? "instructions" : "time") ", ratio to no bpfjailer at that depth)"
	print ""
	print head; print rule
	for (d = 1; d <= ndepths; d++) {
		k = depths[d] == 8 ? "open" : "open@" depths[d]
		line = "| " depths[d] " dirs deep |"
		for (s = 1; s <= nstates; s++) {
			l = label(state[s], k)
			line = line " " cell(counted ? icount(l) : us(l), m(l), m(label("none", k)), s == 1) " |"
		}
		print line
	}
	print ""

	print "### Scaling (ratio to the first row)"
	print ""
	print "| what | size | time | instructions | ratio |"
	print "|---|---|---|---|---|"
	for (i = 1; i <= nscaled; i++) {
		l = scaled[i]
		printf "| %s | %s | %s | %s | %s |\n", swhat[sseries[l]], ssize[l], us(l), icount(l), ratio(m(l), m(sfirst[sseries[l]]))
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
	print "From `tests/bench/targets`. Verdict: against the target; with instruction counts a value over its regression bound fails the run."
	print ""
	print "| target | operation |" (before != "" ? " before |" : "") " measured | target | bound | verdict |"
	print "|---|---|" (before != "" ? "---|" : "") "---|---|---|---|"
	for (t = 1; t <= nt; t++)
		judge(t)
	print ""

	if (!("rate" in fwd))
		missing = missing " forwarder"
	for (l in measured) {
		if (!(l in ns)) missing = missing " " l " (time)"
		if (counted && !(l in ins)) missing = missing " " l " (instructions)"
	}
	for (s = 1; s <= nstates; s++) {
		for (o = 1; o <= nops; o++)
			if (!(("main:" state[s] ":" op[o]) in measured)) missing = missing " main:" state[s] ":" op[o]
		for (d = 1; d <= ndepths; d++)
			if (depths[d] != 8 && !(("depth:" state[s] ":" depths[d]) in measured))
				missing = missing " depth:" state[s] ":" depths[d]
	}
	status = 0
	if (missing != "") {
		print "run-bench: no number for:" missing > "/dev/stderr"
		status = 1
	}
	for (i = 1; i <= nfail; i++)
		print "run-bench: " failures[i] > "/dev/stderr"
	if (nfail)
		status = 1
	if (!counted && nchecked) {
		if (ci == "true") {
			print "run-bench: the targets' bounds are checked on instruction counts and this run has none (no icount plugin, or a native run: use --vm); CI=true, so this is a failure" > "/dev/stderr"
			status = 1
		} else
			print "run-bench: the targets' bounds were not checked: no instruction counts (no icount plugin, or a native run: use --vm)" > "/dev/stderr"
	}
	exit status
}
