# SPDX-License-Identifier: LGPL-2.1-or-later
"""bench/run's `cpu` part: a perf recording of bench/throughput's launches
split by the process each sample came from, as a launch's process tree
has them: the launcher (glovebox's supervisor, bwrap's monitor), its child
(glovebox's pid 1, bwrap's pid 1), the grandchild before its exec
(glovebox's command process doing its share of the set-up, bwrap's pid 2)
and the command after exec. perf's own sorting by command name cannot tell
them apart: until exec they are all "glovebox" (or "bwrap").

Each role gets its share of the samples and its kernel entry points
(counted once per sample, with what they call: the system calls, page
faults, process creation, the exit's teardown)."""
import collections
import re
import subprocess

ROLES = [
    "launcher",
    "its child (pid 1)",
    "grandchild before exec",
    "command after exec",
    "bench (fork before exec)",
    "other",
]

ENTRY = re.compile(r"^(__x64_sys_\w+|__arm64_sys_\w+|exc_page_fault|do_mem_abort|"
                   r"copy_process|ret_from_fork|do_exit|exit_mmap|copy_net_ns|"
                   r"copy_mnt_ns|create_new_namespaces)$")

FORK = re.compile(r"PERF_RECORD_FORK\((\d+):\d+\):\((\d+):\d+\)")
EXEC = re.compile(r"^\s*\S.*?\s+(\d+)/\d+\s+PERF_RECORD_COMM exec:")
SAMPLE = re.compile(r"^\s*(\S.*?)\s+(\d+)/\d+\s*$")
FRAME = re.compile(r"^\s+[0-9a-f]+ (\S+)")


class Tree:
    """Depth of each process below bench/throughput, and whether it has
    exec'd since it was forked."""

    def __init__(self):
        self.depth = {}
        self.execd = set()

    def fork(self, child, parent, parent_comm):
        if parent in self.depth:
            self.depth[child] = self.depth[parent] + 1
        elif parent_comm == "throughput":
            self.depth[parent] = 0
            self.depth[child] = 1

    def role(self, pid):
        d = self.depth.get(pid)
        if d is None or d == 0:
            return "other"
        if d == 1:
            return "launcher" if pid in self.execd else "bench (fork before exec)"
        if pid in self.execd:
            return "command after exec"
        return "its child (pid 1)" if d == 2 else "grandchild before exec"


def by_process(data):
    out = subprocess.run(["perf", "script", "-f", "-i", data, "--show-task-events",
                          "-F", "comm,pid,tid,ip,sym"],
                         capture_output=True, text=True).stdout
    tree = Tree()
    samples = collections.Counter()
    entries = collections.defaultdict(collections.Counter)
    role, seen = None, set()
    for line in out.splitlines():
        m = FORK.search(line)
        if m:
            tree.fork(int(m.group(1)), int(m.group(2)), line.split()[0])
            role = None
            continue
        m = EXEC.match(line)
        if m:
            tree.execd.add(int(m.group(1)))
            role = None
            continue
        m = SAMPLE.match(line)
        if m:
            role, seen = tree.role(int(m.group(2))), set()
            samples[role] += 1
            continue
        m = FRAME.match(line)
        if m and role and ENTRY.match(m.group(1)) and m.group(1) not in seen:
            seen.add(m.group(1))
            entries[role][m.group(1)] += 1
    total = sum(samples.values()) or 1
    print("By process of the launch's tree (share of all samples; kernel entry "
          "points as a share of that process's samples):\n")
    print("| process | samples | kernel entry points |")
    print("|---|---|---|")
    for r in ROLES:
        if not samples[r]:
            continue
        top = ", ".join("%s %.0f%%" % (k, 100.0 * v / samples[r])
                        for k, v in entries[r].most_common(6))
        print("| %s | %.1f%% | %s |" % (r, 100.0 * samples[r] / total, top))
    print()
