/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gb-escape: attempts, for real, one known way out of a sandbox per
 * subcommand, and prints one line: "ESCAPED: ..." when the forbidden
 * effect happened, "blocked: ..." when it did not, "unsupported: ..." when
 * the kernel has no such way at all (nothing to stop, nothing shown). A
 * probe killed by the sandbox (SIGSYS from seccomp) counts as blocked; the
 * runner tells.
 *
 * Every probe must be able to fail: run with no sandbox, each reports
 * ESCAPED (test_escape.py checks that first). */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../probe/probe-net.h"

static int escaped(const char *what)
{
	printf("ESCAPED: %s\n", what);
	return 0;
}

static int blocked(const char *what)
{
	const char *e = strerrorname_np(errno);
	printf("blocked: %s (%s)\n", what, e ? e : "no error");
	return 0;
}

static int unsupported(const char *what)
{
	printf("unsupported: %s\n", what);
	return 0;
}

static int can_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char c;
	ssize_t n = read(fd, &c, 1);
	close(fd);
	return n == 1;
}

/* host-file SECRET: the file, by its own path */
static int host_file(const char *secret)
{
	return can_read(secret) ? escaped("read the host file") : blocked("read the host file");
}

/* proc-root SECRET: through /proc/PID/root of every process in sight */
static int proc_root(const char *secret)
{
	char path[4096];
	for (int pid = 1; pid < 65536; pid++) {
		snprintf(path, sizeof(path), "/proc/%d/root%s", pid, secret);
		if (can_read(path))
			return escaped(path);
	}
	snprintf(path, sizeof(path), "/proc/self/root%s", secret);
	if (can_read(path))
		return escaped(path);
	errno = 0;
	return blocked("read through /proc/*/root");
}

/* inherited-fd NAME: any open descriptor leading to NAME beside it */
static int inherited_fd(const char *name)
{
	for (int fd = 3; fd < 1024; fd++) {
		int f = openat(fd, name, O_RDONLY | O_CLOEXEC);
		if (f >= 0) {
			close(f);
			char what[64];
			snprintf(what, sizeof(what), "opened %s through descriptor %d", name, fd);
			return escaped(what);
		}
	}
	errno = 0;
	return blocked("no descriptor leads out");
}

/* open-by-handle DIR...: the root directory of a host filesystem by its
 * inode number (the "shocker" attack) */
static int open_by_handle(int argc, char **argv)
{
	struct {
		struct file_handle fh;
		unsigned int ino, gen;
	} h = {.fh = {.handle_bytes = 8, .handle_type = 1 /* FILEID_INO32_GEN */}, .ino = 2};
	for (int i = 0; i < argc; i++) {
		int mfd = open(argv[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (mfd < 0)
			continue;
		int fd = (int)syscall(SYS_open_by_handle_at, mfd, &h.fh, O_RDONLY | O_DIRECTORY);
		int e = errno;
		close(mfd);
		if (fd >= 0) {
			close(fd);
			return escaped("opened a filesystem's root by handle");
		}
		errno = e;
	}
	return blocked("open_by_handle_at");
}

/* remount DIR: write into a read-only bind, remounting or unmounting it */
static int remount(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/gb-escape-written", dir);
	for (int attempt = 0; attempt < 3; attempt++) {
		if (attempt == 1)
			mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND, NULL);
		if (attempt == 2)
			umount2(dir, MNT_DETACH);
		int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			unlink(path);
			return escaped(attempt ? "wrote after a remount/unmount" : "wrote directly");
		}
	}
	return blocked("write into a read-only bind");
}

/* chroot SECRET: the old chroot escape, then the secret by path */
static int chroot_escape(const char *secret)
{
	char dir[] = "/tmp/gb-escape-XXXXXX";
	if (!mkdtemp(dir))
		return blocked("mkdtemp");
	int r = chroot(dir);
	int e = errno;
	rmdir(dir);
	if (r < 0) {
		errno = e;
		return blocked("chroot");
	}
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	if (chroot(".") == 0 && can_read(secret))
		return escaped("read the host file after a chroot escape");
	return blocked("chroot escape");
}

/* pivot_root: make a fresh tmpfs the root. A sandbox's view of the files
 * is the launcher's to set; a process that can pivot_root sets it anew,
 * which every pivot_root trick starts from. Only ever in a mount namespace
 * of its own: pivot_root in the one it started in would, as root with no
 * sandbox, move the host's root. The user namespace is for when only it
 * grants the right to mount. */
static int pivot_root_probe(void)
{
	struct stat before, target, after;
	if (stat("/", &before) < 0)
		return blocked("stat /");
	if (unshare(CLONE_NEWNS) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return blocked("unshare a mount namespace");
	/* pivot_root refuses mounts that propagate to the namespace left */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return blocked("make the mounts private");
	if (mount("gb-escape", "/tmp", "tmpfs", 0, NULL) < 0)
		return blocked("mount a tmpfs");
	if (chdir("/tmp") < 0 || stat(".", &target) < 0)
		return blocked("enter the tmpfs");
	/* the old root lands on top of the new one, then goes */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return blocked("pivot_root");
	umount2(".", MNT_DETACH);
	/* the proof is "/" itself: a success code alone would not show it */
	if (chdir("/") == 0 && stat("/", &after) == 0 && after.st_dev == target.st_dev &&
	    after.st_ino == target.st_ino && after.st_dev != before.st_dev)
		return escaped("pivot_root made a tmpfs the root");
	errno = 0;
	return blocked("the root did not change");
}

/* nested-userns: a privileged port in the sandbox's network namespace,
 * first as the process is, then with every capability of a new user
 * namespace (which must not count over what the sandbox owns). */
static int nested_userns(void)
{
	if (bind_port(80) == 0)
		return escaped("bound port 80");
	if (unshare(CLONE_NEWUSER) < 0)
		return blocked("unshare");
	return bind_port(80) == 0 ? escaped("bound port 80 from a nested user namespace")
				  : blocked("bind port 80 from a nested user namespace");
}

/* signal PID / ptrace PID: a process outside */
static int signal_outside(const char *pid)
{
	return kill(atoi(pid), 0) == 0 ? escaped("signalled a process outside")
				       : blocked("kill");
}

static int ptrace_outside(const char *pid)
{
	pid_t p = atoi(pid);
	if (ptrace(PTRACE_SEIZE, p, 0, 0) == 0) {
		ptrace(PTRACE_DETACH, p, 0, 0);
		return escaped("ptraced a process outside");
	}
	return blocked("ptrace");
}

static int tiocsti(void)
{
	char c = ' ';
	return ioctl(0, TIOCSTI, &c) == 0 ? escaped("pushed a character into the terminal")
					  : blocked("TIOCSTI");
}

/* tiocsetd DEV RDEV: switch the line discipline of the user's terminal,
 * which the runner names by its device (st_dev and st_rdev of its pty's
 * end: another devpts instance's pty has another st_dev). On the user's
 * own terminal the null discipline would swallow every later write, even
 * after glovebox is gone; the probe switches it back at once. A terminal
 * of the sandbox's own may take it: that harms nobody else. */
static int tiocsetd(const char *dev, const char *rdev)
{
	struct stat st;
	if (fstat(0, &st) < 0)
		return blocked("fstat");
	if (st.st_dev != (dev_t)strtoull(dev, NULL, 10) || st.st_rdev != (dev_t)strtoull(rdev, NULL, 10)) {
		errno = 0;
		return blocked("stdin is a terminal of the sandbox's own, not the user's");
	}
	int null_ldisc = 27, tty_ldisc = 0; /* N_NULL, N_TTY */
	if (ioctl(0, TIOCSETD, &null_ldisc) < 0)
		return blocked("TIOCSETD");
	(void)ioctl(0, TIOCSETD, &tty_ldisc);
	return escaped("switched the line discipline of the user's terminal");
}

/* TIOCLINUX needs a virtual console; what counts is whether the call
 * reached the terminal at all, past any filter. */
static int tioclinux(void)
{
	char sub = 6; /* TIOCL_GETSHIFTSTATE */
	if (ioctl(0, TIOCLINUX, &sub) == 0 || errno != EPERM)
		return escaped("TIOCLINUX reached the terminal");
	return blocked("TIOCLINUX");
}

/* Foreign ABIs: getpid through them, and only the right pid shows that
 * the call ran; a call that merely came back may have been answered by a
 * filter. ENOSYS is the kernel without the ABI only when no filter could
 * have said it; under one it may be either, and the call did not run. */
static bool filtered(void)
{
	return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0;
}

static int foreign_getpid(long ret, const char *abi)
{
	char what[64];
	if (ret == (long)getpid()) {
		snprintf(what, sizeof(what), "an %s system call ran", abi);
		return escaped(what);
	}
	snprintf(what, sizeof(what), "an %s system call", abi);
	if (ret != -ENOSYS || filtered()) {
		errno = ret < 0 && ret > -4096 ? (int)-ret : 0;
		return blocked(what);
	}
	snprintf(what, sizeof(what), "the kernel has no %s ABI", abi);
	return unsupported(what);
}

/* A kernel without i386 emulation has no gate for int 0x80 at all: the
 * instruction faults, which no filter can cause. */
static void no_int80_gate(int sig)
{
	(void)sig;
	static const char line[] = "unsupported: the kernel has no i386 ABI (int 0x80 faults)\n";
	_exit(write(1, line, sizeof(line) - 1) == sizeof(line) - 1 ? 0 : 1);
}

static int int80(void)
{
	signal(SIGSEGV, no_int80_gate);
	long ret = 20; /* getpid on i386 */
	/* older kernels clobber r8-r11 on int 0x80 from 64-bit code */
	__asm__ volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory", "cc");
	signal(SIGSEGV, SIG_DFL);
	/* the kernel answers in eax, and the pid fits it */
	return foreign_getpid((long)(int)ret, "i386");
}

static int x32(void)
{
	/* x32 has getpid at the 64-bit number, with bit 30 set */
	long ret = syscall(0x40000000L | SYS_getpid);
	return foreign_getpid(ret < 0 ? -errno : ret, "x32");
}

/* A socket of a family no shipped profile allows, with the family in the
 * low half of the register and garbage above it: the kernel reads an int
 * and makes the socket; a filter comparing all 64 bits sees another
 * family. Escaped when the socket exists with the low half's family. */
static int socket_high_bits(void)
{
	static const int families[] = {AF_PACKET, AF_KEY, AF_ALG};
	bool kernel_has_one = false;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		unsigned long family = (1UL << 32) | (unsigned long)families[i];
		int s = (int)syscall(SYS_socket, family, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (s < 0 && errno == ESOCKTNOSUPPORT)
			s = (int)syscall(SYS_socket, family, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (s < 0) {
			kernel_has_one |= errno != EAFNOSUPPORT;
			continue;
		}
		int got = -1;
		socklen_t len = sizeof(got);
		getsockopt(s, SOL_SOCKET, SO_DOMAIN, &got, &len);
		close(s);
		if (got == families[i])
			return escaped("made a socket of a refused family, with the upper half set");
	}
	if (!kernel_has_one && !filtered())
		return unsupported("the kernel has none of the families tried");
	return blocked("a socket of a refused family, with the upper half set");
}

static int io_uring(void)
{
	char params[120] = {0};
	int fd = (int)syscall(425 /* io_uring_setup */, 1, params);
	if (fd >= 0) {
		close(fd);
		return escaped("io_uring_setup");
	}
	return blocked("io_uring_setup");
}

static int bpf_load(void)
{
	struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr attr = {.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
			       .insn_cnt = 2,
			       .insns = (unsigned long)insns,
			       .license = (unsigned long)"GPL"};
	int fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		close(fd);
		return escaped("loaded a BPF program");
	}
	return blocked("bpf");
}

static int perf_event(void)
{
	struct perf_event_attr a = {.type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
				    .config = PERF_COUNT_SW_CPU_CLOCK, .exclude_kernel = 1,
				    .exclude_hv = 1};
	int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (fd >= 0) {
		close(fd);
		return escaped("perf_event_open");
	}
	return blocked("perf_event_open");
}

static int uffd(void)
{
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	if (fd >= 0) {
		close(fd);
		return escaped("userfaultfd");
	}
	return blocked("userfaultfd");
}

static int keyctl_probe(void)
{
	long id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	return id >= 0 ? escaped("reached the kernel keyring") : blocked("keyctl");
}

static int add_key_probe(void)
{
	long id = syscall(SYS_add_key, "user", "gb-escape", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	return id >= 0 ? escaped("added a key") : blocked("add_key");
}

/* Past the filter and the capability checks, these fail for want of a
 * real module or kernel image: any error but EPERM means they got there. */
static int module_probe(void)
{
	if (syscall(SYS_finit_module, -1, "", 0) == 0 || errno != EPERM)
		return escaped("finit_module reached the module loader");
	return blocked("finit_module");
}

static int kexec_probe(void)
{
	if (syscall(SYS_kexec_file_load, -1, -1, 0, "", 0) == 0 || errno != EPERM)
		return escaped("kexec_file_load reached the kernel");
	return blocked("kexec_file_load");
}

/* setuid PROGRAM: run a setuid-root copy of this probe, which reports its
 * effective uid */
static int setuid_probe(const char *program)
{
	int fds[2];
	if (pipe(fds) < 0)
		return blocked("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(program, program, "euid", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char buf[32] = "";
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	waitpid(pid, NULL, 0);
	if (n > 0 && atoi(buf) == 0 && getuid() != 0)
		return escaped("a setuid binary ran as root");
	errno = 0;
	return blocked("setuid binary");
}

static int open_for_write(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd); /* opened, never written */
		return escaped(what);
	}
	return blocked(what);
}

/* kernel-files: what the host's root may read or write in its /proc: the
 * page and slab tables (kernel-exploit aids), runc's masked files, and
 * the settings below /proc/sys, /proc/irq, /proc/bus and /proc/fs. Files
 * are opened, read 8 bytes at most, never written. */
static const char *const root_only_reads[] = {
	"/proc/kpageflags", "/proc/kpagecount",	  "/proc/kpagecgroup", "/proc/slabinfo",
	"/proc/pagetypeinfo", "/proc/vmallocinfo", "/proc/kcore",	 "/proc/timer_list",
	"/proc/sched_debug", "/proc/timer_stats", "/proc/latency_stats",
};
static const char *const root_only_writes[] = {
	"/proc/sys/vm/drop_caches", "/proc/sys/kernel/printk_ratelimit",
	"/proc/irq/default_smp_affinity", "/proc/sysrq-trigger",
};

/* The first file with a write bit below dir (/proc/bus/pci/00/00.0 and
 * friends), opened for writing: 1 if that worked. */
static int writable_below(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	int found = 0;
	for (struct dirent *e; d && !found && depth < 4 && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			found = writable_below(path, depth + 1);
		} else if (S_ISREG(st.st_mode) && (st.st_mode & 0222)) {
			int fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd >= 0) {
				close(fd);
				found = 1;
			}
		}
	}
	if (d)
		closedir(d);
	return found;
}

static int kernel_files(void)
{
	char buf[8]; /* the page tables are read 8 bytes at a time */
	for (size_t i = 0; i < sizeof(root_only_reads) / sizeof(*root_only_reads); i++) {
		int fd = open(root_only_reads[i], O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0)
			return escaped(root_only_reads[i]);
	}
	for (size_t i = 0; i < sizeof(root_only_writes) / sizeof(*root_only_writes); i++) {
		int fd = open(root_only_writes[i], O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return escaped(root_only_writes[i]);
		}
	}
	if (writable_below("/proc/bus", 0) || writable_below("/proc/fs", 0))
		return escaped("opened a kernel setting below /proc/bus or /proc/fs for writing");
	return blocked("no root-only kernel file opened");
}

/* abstract NAME: a listening abstract socket of the host */
static int abstract(const char *name)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return blocked("socket");
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	size_t len = strlen(name);
	if (len + 1 >= sizeof(a.sun_path))
		return blocked("name");
	memcpy(a.sun_path + 1, name, len);
	int r = connect(s, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len));
	close(s);
	return r == 0 ? escaped("connected to the host's abstract socket") : blocked("connect");
}

/* Whether a proc net file mentions the needle. */
static bool net_file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[512];
	bool hit = false;
	while (!hit && fgets(line, sizeof(line), f))
		hit = strstr(line, needle) != NULL;
	fclose(f);
	return hit;
}

/* One net directory: the unix, tcp, tcp6 and dev files, each searched for
 * the needle it could show (needles: abstract name, port, interface). */
static bool net_dir_has(const char *dir, const char *const needles[3])
{
	static const struct {
		const char *file;
		int needle;
		const char *what;
	} files[] = {{"unix", 0, "abstract socket"}, {"tcp", 1, "listening port"},
		     {"tcp6", 1, "listening port"}, {"dev", 2, "interface"}};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].file);
		if (needles[files[i].needle][0] && net_file_has(path, needles[files[i].needle])) {
			printf("ESCAPED: %s shows the host's %s\n", path, files[i].what);
			return true;
		}
	}
	return false;
}

static bool is_pid(const char *name)
{
	return name[0] >= '1' && name[0] <= '9';
}

/* Every net directory a process of the sandbox can open: /proc/net,
 * /proc/PID/net and /proc/PID/task/TID/net. */
static bool any_net_dir_has(const char *const needles[3])
{
	if (net_dir_has("/proc/net", needles))
		return true;
	DIR *proc = opendir("/proc");
	bool hit = false;
	for (struct dirent *e; !hit && proc && (e = readdir(proc));) {
		if (!is_pid(e->d_name))
			continue;
		char dir[96];
		snprintf(dir, sizeof(dir), "/proc/%.20s/net", e->d_name);
		hit = net_dir_has(dir, needles);
		snprintf(dir, sizeof(dir), "/proc/%.20s/task", e->d_name);
		DIR *t = opendir(dir);
		for (struct dirent *te; !hit && t && (te = readdir(t));) {
			if (!is_pid(te->d_name))
				continue;
			snprintf(dir, sizeof(dir), "/proc/%.20s/task/%.20s/net", e->d_name,
				 te->d_name);
			hit = net_dir_has(dir, needles);
		}
		if (t)
			closedir(t);
	}
	if (proc)
		closedir(proc);
	return hit;
}

/* proc-net NAME PORT IFACE: the host's abstract socket NAME, its listening
 * TCP port PORT or its interface IFACE ("" to skip) seen through any
 * /proc/.../net the sandbox can open (the kernel does no ptrace check on
 * /proc/PID/net: a process left in the host's network namespace shows it). */
static int proc_net(int argc, char **argv)
{
	if (argc < 3)
		return blocked("usage: proc-net NAME PORT IFACE");
	char sock[128], port[16], iface[64] = "";
	snprintf(sock, sizeof(sock), "@%s", argv[0]);
	snprintf(port, sizeof(port), ":%04X ", (unsigned)atoi(argv[1]));
	if (argv[2][0])
		snprintf(iface, sizeof(iface), " %.40s:", argv[2]);
	const char *const needles[3] = {sock, port, iface};
	return any_net_dir_has(needles) ? 0 : blocked("no host network state in any /proc net");
}

static int env_secret(const char *name)
{
	return getenv(name) ? escaped("the secret is in the environment") : (errno = 0, blocked("env"));
}

/* Fileless execution: write this very program into a memfd and run it
 * from there, by execveat(AT_EMPTY_PATH) and through /proc/self/fd, made
 * plainly, with MFD_EXEC, and after a chmod, as a payload would. The
 * program that runs says it escaped ("memfd-ran"). */
static void memfd_run(const char *self, unsigned flags)
{
	int fd = (int)syscall(SYS_memfd_create, "payload", flags);
	int in = open(self, O_RDONLY | O_CLOEXEC);
	char buf[65536], path[64];
	ssize_t n = 0;
	while (fd >= 0 && in >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	int e = errno;
	if (in >= 0)
		close(in);
	if (fd >= 0 && n == 0) {
		(void)!fchmod(fd, 0755);
		/* /proc/self/fd/N must still be open while the kernel loads it */
		fcntl(fd, F_SETFD, 0);
		char *const args[] = {(char *)self, (char *)"memfd-ran", NULL};
		syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
		e = errno;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		execve(path, args, environ);
	}
	if (fd >= 0)
		close(fd);
	errno = e;
}

static int memfd_exec(const char *self)
{
	static const unsigned flags[] = {MFD_CLOEXEC, MFD_CLOEXEC | 0x10 /* MFD_EXEC */};
	int first = 0;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		memfd_run(self, flags[i]);
		if (!first)
			first = errno;
	}
	errno = first;
	return blocked("no program ran from a memfd");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *c = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : "";
	if (!strcmp(c, "euid"))
		return printf("%d\n", (int)geteuid()) < 0;
	if (!strcmp(c, "host-file"))
		return host_file(a);
	if (!strcmp(c, "proc-root"))
		return proc_root(a);
	if (!strcmp(c, "inherited-fd"))
		return inherited_fd(a);
	if (!strcmp(c, "open-by-handle"))
		return open_by_handle(argc - 2, argv + 2);
	if (!strcmp(c, "remount"))
		return remount(a);
	if (!strcmp(c, "chroot"))
		return chroot_escape(a);
	if (!strcmp(c, "pivot_root"))
		return pivot_root_probe();
	if (!strcmp(c, "nested-userns"))
		return nested_userns();
	if (!strcmp(c, "signal"))
		return signal_outside(a);
	if (!strcmp(c, "ptrace"))
		return ptrace_outside(a);
	if (!strcmp(c, "tiocsti"))
		return tiocsti();
	if (!strcmp(c, "tioclinux"))
		return tioclinux();
	if (!strcmp(c, "int80"))
		return int80();
	if (!strcmp(c, "x32"))
		return x32();
	if (!strcmp(c, "socket-high-bits"))
		return socket_high_bits();
	if (!strcmp(c, "io_uring"))
		return io_uring();
	if (!strcmp(c, "bpf"))
		return bpf_load();
	if (!strcmp(c, "perf_event_open"))
		return perf_event();
	if (!strcmp(c, "userfaultfd"))
		return uffd();
	if (!strcmp(c, "keyctl"))
		return keyctl_probe();
	if (!strcmp(c, "add_key"))
		return add_key_probe();
	if (!strcmp(c, "module"))
		return module_probe();
	if (!strcmp(c, "kexec"))
		return kexec_probe();
	if (!strcmp(c, "setuid"))
		return setuid_probe(a);
	if (!strcmp(c, "proc-sys"))
		return open_for_write("/proc/sys/kernel/hostname", "opened /proc/sys for writing");
	if (!strcmp(c, "sys"))
		return open_for_write("/sys/kernel/profiling", "opened /sys for writing");
	if (!strcmp(c, "kernel-files"))
		return kernel_files();
	if (!strcmp(c, "abstract"))
		return abstract(a);
	if (!strcmp(c, "env"))
		return env_secret(a);
	if (!strcmp(c, "tiocsetd"))
		return tiocsetd(a, argc > 3 ? argv[3] : "");
	if (!strcmp(c, "proc-net"))
		return proc_net(argc - 2, argv + 2);
	if (!strcmp(c, "memfd-exec"))
		return memfd_exec(argv[0]);
	if (!strcmp(c, "memfd-ran"))
		return escaped("ran a program written into a memfd");
	fprintf(stderr, "gb-escape: unknown probe '%s'\n", c);
	return 2;
}
