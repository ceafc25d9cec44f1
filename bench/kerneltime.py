# SPDX-License-Identifier: LGPL-2.1-or-later
"""bench/run's `kernel` part: where a launch's machine time goes outside
the launcher's own processes, and what each namespace costs.

perf needs hardware or software counters that a VM often lacks; what the
kernel always keeps is enough: the CPU time of each kernel thread
(/proc/PID/schedstat, nanoseconds), of each CPU by kind (/proc/stat:
system, softirq, irq) and the softirq counts (/proc/softirqs). A batch of
launches runs between two snapshots of them, as does a batch of bare
/bin/true (the baseline: fork, exec and exit alone), and the difference
per launch is the launch's share.

Variants drop one namespace (or one piece of set-up) at a time, for
glovebox and for bwrap: a namespace's creation and teardown cost is the
default's machine time minus the variant's. Work the kernel defers to its
threads (a network namespace's cleanup_net, a mount namespace's RCU
grace period, a user namespace's free work) shows in the kernel-thread
rows, not in the launcher's own CPU time.

Everything else the machine does meanwhile counts too: compare the rows of
one run, and repeat a run before believing a difference below a few
hundred microseconds."""
import os
import re
import subprocess

# Kernel threads by what they do; the digits of their names (CPU, pool,
# worker) do not matter, nor the workqueue a worker ran last.
GROUPS = [
    (re.compile(r"^kworker/u"), "kworker (unbound: netns, userns free, ...)"),
    (re.compile(r"^kworker/"), "kworker (per-CPU)"),
    (re.compile(r"^ksoftirqd/"), "ksoftirqd"),
    (re.compile(r"^rcu_exp"), "rcu expedited grace periods"),
    (re.compile(r"^rcu"), "rcu (normal grace periods, callbacks)"),
]
STAT_FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")


def kthreads():
    """Kernel threads (children of kthreadd, and kthreadd): pid -> (group,
    CPU ns)."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if ppid != 2 and name != "2":
                continue
            with open("/proc/%s/schedstat" % name) as f:
                ns = int(f.read().split()[0])
        except (OSError, ValueError):
            continue
        group = next((g for rx, g in GROUPS if rx.search(comm)), "other kernel threads")
        out[int(name)] = (group, ns)
    return out


def cpu_stat():
    """All CPUs' time by kind, microseconds."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    tick = 1e6 / os.sysconf("SC_CLK_TCK")
    return {k: x * tick for k, x in zip(STAT_FIELDS, v)}


def softirqs():
    out = {}
    with open("/proc/softirqs") as f:
        for line in f.readlines()[1:]:
            parts = line.split()
            out[parts[0].rstrip(":")] = sum(int(x) for x in parts[1:])
    return out


def snapshot():
    return kthreads(), cpu_stat(), softirqs()


def delta(a, b, n):
    """Per launch: kernel-thread groups (µs), /proc/stat kinds (µs),
    softirq counts."""
    ka, sa, qa = a
    kb, sb, qb = b
    groups = {}
    for pid, (group, ns) in kb.items():
        before = ka.get(pid, (group, 0))[1]  # a worker born meanwhile counts whole
        groups[group] = groups.get(group, 0) + (ns - before) / 1000 / n
    stat = {k: (sb[k] - sa[k]) / n for k in STAT_FIELDS}
    stat["busy"] = sum(v for k, v in stat.items() if k not in ("idle", "iowait", "steal"))
    soft = {k: (qb[k] - qa.get(k, 0)) / n for k in qb}
    return groups, stat, soft


def variants(b, bwrap_typical):
    gb = [b.gb]
    out = [("bare /bin/true", ["/bin/true"]),
           ("glovebox default", gb + ["--", "/bin/true"]),
           ("glovebox --network host", gb + ["--network", "host", "--", "/bin/true"]),
           ("glovebox --unshare-pid=no", gb + ["--unshare-pid=no", "--", "/bin/true"]),
           ("glovebox --unshare-ipc=no", gb + ["--unshare-ipc=no", "--", "/bin/true"]),
           ("glovebox --unshare-uts=no", gb + ["--unshare-uts=no", "--", "/bin/true"]),
           ("glovebox --unshare-cgroup=no", gb + ["--unshare-cgroup=no", "--", "/bin/true"])]
    if b.gb_base:
        out.insert(2, ("glovebox (baseline) default", [b.gb_base, "--", "/bin/true"]))
    if b.bwrap:
        out += [("bwrap typical", bwrap_typical + ["/bin/true"]),
                ("bwrap typical --share-net", bwrap_typical + ["--share-net", "/bin/true"])]
    return out


def run(b, bwrap_typical):
    cpus = os.cpu_count()
    launches = b.args.launches
    rounds = max(1, b.args.rounds // 3)
    cmds = variants(b, bwrap_typical)
    for gb in filter(None, (b.gb, b.gb_base)):
        b.run([gb, "--", "/bin/true"])  # the seccomp cache
    tool = os.path.join(b.stage, "throughput")
    res = {name: [] for name, _ in cmds}
    for r in range(rounds):
        for j in range(len(cmds)):
            name, cmd = cmds[(j + r) % len(cmds)]
            argv = [tool, str(launches), str(cpus), "1", "::", "c", *cmd]
            before = snapshot()
            p = subprocess.run(b.wrap(argv), env=b.env, cwd=b.work, capture_output=True,
                               text=True)
            after = snapshot()
            if p.returncode != 0:
                raise SystemExit("bench/throughput failed: " + (p.stdout + p.stderr)[-2000:])
            _, rate, user, system, _ = p.stdout.split()
            # the tool's warm-up batch (P launches) ran between the snapshots too
            groups, stat, soft = delta(before, after, launches + cpus)
            res[name].append(dict(rate=float(rate), tree=float(user) + float(system),
                                  groups=groups, stat=stat, soft=soft))
    report(res, cmds, launches, rounds, cpus)


def med(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def report(res, cmds, launches, rounds, cpus):
    groups = sorted({g for rows in res.values() for row in rows for g in row["groups"]})
    soft = ["RCU", "TIMER", "SCHED", "NET_RX"]
    print("\n## Machine time per launch outside the launcher (%d launches, P = %d, "
          "median of %d rounds, µs per launch)\n" % (launches, cpus, rounds))
    print("busy: all CPUs' user+system+irq+softirq time per launch; tree: the launch's "
          "own processes (getrusage); steal: time the hypervisor gave elsewhere (not in busy); kernel-thread columns from /proc/PID/schedstat; "
          "Δ: busy minus glovebox default's (negative: the variant saves that much).\n")
    head = ["command", "launches/s", "busy", "Δ busy", "tree", "system", "softirq", "steal"] + \
        groups + ["%s softirqs" % s for s in soft]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    base = med([r["stat"]["busy"] for r in res["glovebox default"]])
    for name, _ in cmds:
        rows = res[name]
        busy = med([r["stat"]["busy"] for r in rows])
        cells = [name, "%.1f" % med([r["rate"] for r in rows]), "%.0f" % busy,
                 "%+.0f" % (busy - base), "%.0f" % med([r["tree"] for r in rows]),
                 "%.0f" % med([r["stat"]["system"] for r in rows]),
                 "%.0f" % med([r["stat"]["softirq"] for r in rows]),
                 "%.0f" % med([r["stat"]["steal"] for r in rows])]
        cells += ["%.0f" % med([r["groups"].get(g, 0) for r in rows]) for g in groups]
        cells += ["%.2f" % med([r["soft"].get(s, 0) for r in rows]) for s in soft]
        print("| " + " | ".join(cells) + " |")
