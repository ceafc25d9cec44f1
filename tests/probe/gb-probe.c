/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gb-probe: runs inside a sandbox and reports what it can and cannot do,
 * one result per line, so that integration tests observe the sandbox from
 * inside. Each subcommand tries the real thing; none of them decides the
 * answer on its own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_alg.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe-net.h"

static int result(int r)
{
	if (r < 0) {
		const char *name = strerrorname_np(errno);
		printf("%s\n", name ? name : "EUNKNOWN");
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_status(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[512];
	if (!f)
		return result(-1);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cap", 3) || !strncmp(line, "Seccomp:", 8) ||
		    !strncmp(line, "NoNewPrivs:", 11) || !strncmp(line, "Uid:", 4) ||
		    !strncmp(line, "Gid:", 4))
			fputs(line, stdout);
	fclose(f);
	return 0;
}

static int cmd_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return result(-1);
	char buf[256];
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return result(-1);
	printf("ok %.*s\n", (int)(n > 0 && buf[n - 1] == '\n' ? n - 1 : n), buf);
	return 0;
}

static int cmd_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return result(-1);
	int r = write(fd, "written\n", 8) == 8 ? 0 : -1;
	close(fd);
	return result(r);
}

static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return result(-1);
	int self = dirfd(d);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != self)
			printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

static int cmd_pids(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return result(-1);
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			printf("%s\n", e->d_name);
	closedir(d);
	return 0;
}

static int cmd_ifaces(void)
{
	struct if_nameindex *ifs = if_nameindex();
	if (!ifs)
		return result(-1);
	for (struct if_nameindex *i = ifs; i->if_index; i++)
		printf("%s\n", i->if_name);
	if_freenameindex(ifs);
	return 0;
}

static int cmd_bind_port(const char *port)
{
	return result(bind_port(atoi(port)));
}

/* A nested user namespace has every capability, but only over itself:
 * the sandbox's network namespace still belongs to the sandbox's. */
static int cmd_userns_bind_port(const char *port)
{
	if (unshare(CLONE_NEWUSER) < 0) {
		printf("unshare ");
		return result(-1);
	}
	return result(bind_port(atoi(port)));
}

static int cmd_tiocsti(void)
{
	char c = 'x';
	int r1 = ioctl(0, TIOCSTI, &c);
	int e1 = errno;
	/* The kernel takes the command as 32 bits; a filter comparing all 64
	 * would miss this spelling. */
	int r2 = (int)syscall(SYS_ioctl, 0, 0x100000000UL | TIOCSTI, &c);
	int e2 = errno;
	printf("%s %s\n", r1 < 0 ? strerrorname_np(e1) : "ok", r2 < 0 ? strerrorname_np(e2) : "ok");
	return 0;
}

static int cmd_tioclinux(void)
{
	char sub = 6; /* TIOCL_GETSHIFTSTATE: harmless when it gets through */
	int r = ioctl(0, TIOCLINUX, &sub);
	printf("%s\n", r < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}

/* Switch the terminal on stdin to the null line discipline: on the
 * user's own terminal, every later write to it would vanish. */
static int cmd_tiocsetd(void)
{
	int ldisc = 27; /* N_NULL */
	return result(ioctl(0, TIOCSETD, &ldisc));
}

static int cmd_ttyname(void)
{
	char name[256];
	int r = ttyname_r(0, name, sizeof(name));
	if (r) {
		errno = r;
		return result(-1);
	}
	printf("%s\n", name);
	return 0;
}

struct named_call {
	const char *name;
	long nr;
	long a0, a1, a2, a3;
};

/* Arguments chosen so that a call which gets through does nothing harmful. */
static const struct named_call calls[] = {
	{"ptrace", SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, 1, 0, 0},
	{"keyctl", SYS_keyctl, 0 /* GET_KEYRING_ID */, -1, 0, 0},
	{"add_key", SYS_add_key, 0, 0, 0, 0},
	{"userfaultfd", SYS_userfaultfd, 0, 0, 0, 0},
	{"mount", SYS_mount, 0, 0, 0, 0},
	{"getppid", SYS_getppid, 0, 0, 0, 0},
	{"setresuid", SYS_setresuid, -1, -1, -1, 0}, /* -1: every id unchanged */
	{"setresgid", SYS_setresgid, -1, -1, -1, 0},
	{"personality", SYS_personality, 0xffffffff, 0, 0, 0},
	{"bpf", SYS_bpf, -1, 0, 0, 0},
	{"perf_event_open", SYS_perf_event_open, 0, 0, -1, -1},
	{"io_uring_setup", 425, 0, 0, 0, 0},
	{"kexec_load", SYS_kexec_load, 0, 0, 0, 0},
	{"init_module", SYS_init_module, 0, 0, 0, 0},
	{"swapon", SYS_swapon, 0, 0, 0, 0},
	{"unknown_future", 1000, 0, 0, 0, 0},
};

static int cmd_syscall(const char *name)
{
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(calls[i].name, name)) {
			long r = syscall(calls[i].nr, calls[i].a0, calls[i].a1, calls[i].a2,
					 calls[i].a3);
			return result(r < 0 ? -1 : 0);
		}
	fprintf(stderr, "gb-probe: unknown call %s\n", name);
	return 2;
}

/* getpid through the i386 entry point. */
static int cmd_int80(void)
{
	long ret = 20; /* __NR_getpid on i386 */
	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	printf("returned %ld\n", ret);
	return 0;
}

/* getpid with the x32 bit set. */
static int cmd_x32(void)
{
	long r = syscall(0x40000000L | SYS_getpid);
	return result(r < 0 ? -1 : 0);
}

static const struct {
	const char *name;
	int family;
} families[] = {{"unix", AF_UNIX}, {"inet", AF_INET}, {"inet6", AF_INET6},
		{"netlink", AF_NETLINK}, {"packet", AF_PACKET}, {"vsock", AF_VSOCK},
		{"alg", AF_ALG}};

static int cmd_socket(const char *name)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i].name, name)) {
			int s = socket(families[i].family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (s < 0 && errno == ESOCKTNOSUPPORT)
				s = socket(families[i].family, SOCK_RAW | SOCK_CLOEXEC, 0);
			if (s >= 0)
				close(s);
			return result(s);
		}
	return 2;
}

static int cmd_unshare(const char *what)
{
	int flag = !strcmp(what, "user") ? CLONE_NEWUSER
		   : !strcmp(what, "net") ? CLONE_NEWNET
		   : !strcmp(what, "mount") ? CLONE_NEWNS
					    : CLONE_NEWIPC;
	return result(unshare(flag));
}

static int cmd_clone3(void)
{
	/* Flags no kernel accepts: EINVAL from the kernel, ENOSYS from a
	 * filter that hides clone3. Either way no process is made. */
	uint64_t args[8] = {~0ULL};
	return result((int)syscall(435 /* clone3 */, args, sizeof(args)));
}

static int cmd_wx_mmap(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	return result(p == MAP_FAILED ? -1 : 0);
}

static int cmd_wx_mprotect(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return result(-1);
	int r = mprotect(p, 4096, PROT_READ | PROT_EXEC);
	int e = errno;
	munmap(p, 4096);
	errno = e;
	return result(r);
}

/* plain: MFD_CLOEXEC; noexec: with MFD_NOEXEC_SEAL; sealable: what Wayland
 * clients and Mesa do for shared buffers (MFD_ALLOW_SEALING, no exec flag),
 * sealed against shrinking and mapped shared for writing. */
static int cmd_memfd(const char *how)
{
	unsigned flags = MFD_CLOEXEC;
	if (!strcmp(how, "noexec"))
		flags |= 0x8; /* MFD_NOEXEC_SEAL */
	if (!strcmp(how, "sealable"))
		flags |= MFD_ALLOW_SEALING;
	int fd = (int)syscall(SYS_memfd_create, "probe", flags);
	if (fd < 0 || strcmp(how, "sealable"))
		return result(fd < 0 ? fd : close(fd));
	char *p = MAP_FAILED;
	if (ftruncate(fd, 4096) == 0 && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) == 0)
		p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int r = p == MAP_FAILED ? -1 : (p[0] = 1, 0);
	close(fd);
	return result(r);
}

/* A JIT's double mapping: code written through a writable view of a memfd
 * sealed non-executable and run through a second, executable view. */
static int cmd_memfd_jit(void)
{
#if defined(__x86_64__) || defined(__i386__)
	static const unsigned char ret[] = {0xc3};
#elif defined(__aarch64__)
	static const unsigned char ret[] = {0xc0, 0x03, 0x5f, 0xd6};
#else
#error "gb-probe: no return instruction for this architecture"
#endif
	int fd = (int)syscall(SYS_memfd_create, "jit", MFD_CLOEXEC | 0x8 /* MFD_NOEXEC_SEAL */);
	if (fd < 0 || ftruncate(fd, 4096) < 0)
		return result(-1);
	unsigned char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	void *x = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	close(fd);
	if (w == MAP_FAILED || x == MAP_FAILED)
		return result(-1);
	memcpy(w, ret, sizeof(ret));
	__builtin___clear_cache((char *)x, (char *)x + sizeof(ret));
	((void (*)(void))x)();
	return result(0);
}

static int cmd_personality(const char *value)
{
	return result((int)syscall(SYS_personality, strtoul(value, NULL, 0)) < 0 ? -1 : 0);
}

/* ---- int arguments with the upper half of the register set ----
 *
 * The kernel reads an int argument from the low 32 bits of its register
 * and ignores the rest; seccomp sees all 64. Each probe makes a call with
 * garbage in the upper half and prints what the kernel did with it, so
 * that a run outside a sandbox shows the kernel acted on the low half. */

#define HIGH(v) ((1UL << 32) | (unsigned long)(v))

static int errno_result(long r)
{
	return result(r < 0 ? -1 : 0);
}

/* A netlink socket, family in the low half: prints its family. */
static int high_socket(void)
{
	int s = (int)syscall(SYS_socket, HIGH(AF_NETLINK), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return result(-1);
	int family = -1;
	socklen_t len = sizeof(family);
	getsockopt(s, SOL_SOCKET, SO_DOMAIN, &family, &len);
	close(s);
	printf("ok family %d\n", family);
	return 0;
}

/* FIONREAD on a pipe holding 3 bytes: prints the count it answered. */
static int high_ioctl(void)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0 || write(fds[1], "abc", 3) != 3)
		return result(-1);
	int n = -1;
	long r = syscall(SYS_ioctl, fds[0], HIGH(FIONREAD), &n);
	int e = errno;
	close(fds[0]);
	close(fds[1]);
	errno = e;
	if (r < 0)
		return result(-1);
	printf("ok %d\n", n);
	return 0;
}

/* ADDR_NO_RANDOMIZE: prints the execution domain the kernel then reports. */
static int high_personality(void)
{
	if (syscall(SYS_personality, HIGH(0x0040000)) < 0)
		return result(-1);
	printf("ok %#lx\n", syscall(SYS_personality, 0xffffffffUL));
	return 0;
}

/* personality(PER_LINUX) with the upper half set: no change at all. */
static int high_personality_linux(void)
{
	return errno_result(syscall(SYS_personality, HIGH(0)));
}

/* A child in a new user namespace: prints whether it got one. */
static int high_clone(void)
{
	char mine[128] = "", theirs[128] = "";
	if (readlink("/proc/self/ns/user", mine, sizeof(mine) - 1) < 0)
		return result(-1);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return result(-1);
	long pid = syscall(SYS_clone, HIGH(CLONE_NEWUSER | SIGCHLD), 0, 0, 0, 0);
	if (pid == 0) {
		ssize_t n = readlink("/proc/self/ns/user", theirs, sizeof(theirs) - 1);
		_exit(write(p[1], theirs, n > 0 ? (size_t)n : 0) < 0);
	}
	int e = errno;
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		errno = e;
		return result(-1);
	}
	ssize_t n = read(p[0], theirs, sizeof(theirs) - 1);
	close(p[0]);
	waitpid((pid_t)pid, NULL, 0);
	printf("ok %s\n", n > 0 && strcmp(mine, theirs) ? "new user namespace" : "same namespace");
	return 0;
}

/* setns into our own uts namespace: first with nstype 0 (any type), then
 * with CLONE_NEWNET, which the kernel refuses for a uts descriptor with
 * EINVAL, but only if it reads the low half. */
static int high_setns(void)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return result(-1);
	long any = syscall(SYS_setns, fd, HIGH(0));
	int e_any = errno;
	long net = syscall(SYS_setns, fd, HIGH(CLONE_NEWNET));
	int e_net = errno;
	close(fd);
	printf("%s %s\n", any < 0 ? strerrorname_np(e_any) : "ok",
	       net < 0 ? strerrorname_np(e_net) : "ok");
	return 0;
}

/* A writable and executable mapping: prints its permissions as mapped. */
static int high_mmap(void)
{
	long r = syscall(SYS_mmap, 0, 4096, HIGH(PROT_READ | PROT_WRITE | PROT_EXEC),
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return result(-1);
	}
	if (r == -1)
		return result(-1);
	char want[32], line[256], perms[8] = "?";
	snprintf(want, sizeof(want), "%lx-", (unsigned long)r);
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)))
			sscanf(line, "%*s %7s", perms);
	if (f)
		fclose(f);
	munmap((void *)r, 4096);
	printf("ok %.3s\n", perms);
	return 0;
}

/* mprotect to executable: the kernel reads this prot whole. */
static int high_mprotect(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return result(-1);
	long r = syscall(SYS_mprotect, p, 4096, HIGH(PROT_READ | PROT_EXEC));
	int e = errno;
	munmap(p, 4096);
	errno = e;
	return errno_result(r);
}

static const struct {
	const char *name;
	int (*run)(void);
} high_probes[] = {
	{"socket", high_socket},	 {"ioctl", high_ioctl},
	{"personality", high_personality}, {"personality-linux", high_personality_linux},
	{"clone", high_clone},		 {"setns", high_setns},
	{"mmap", high_mmap},		 {"mprotect", high_mprotect},
};

static int cmd_high_bits(const char *name)
{
	for (size_t i = 0; i < sizeof(high_probes) / sizeof(high_probes[0]); i++)
		if (!strcmp(high_probes[i].name, name))
			return high_probes[i].run();
	fprintf(stderr, "gb-probe: unknown high-bits probe %s\n", name);
	return 2;
}

static int cmd_wait_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	int sig;
	if (sigwait(&set, &sig) != 0)
		return 1;
	printf("got %s\n", sigabbrev_np(sig));
	return 0;
}

static int cmd_hostname(void)
{
	char buf[256];
	if (gethostname(buf, sizeof(buf)) < 0)
		return result(-1);
	printf("%s\n", buf);
	return 0;
}

static int cmd_pid(void)
{
	printf("%d\n", (int)getpid());
	return 0;
}

/* The namespace a path in /proc/self/ns names, e.g. "ipc:[4026531839]". */
static int cmd_ns(const char *name)
{
	char path[64], link[128];
	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return result(-1);
	link[n] = '\0';
	printf("%s\n", link);
	return 0;
}

/* Write to every path in turn, 64 KiB at a time, until a write fails:
 * the tmpfs mounts behind them fill together. Prints the error and the
 * bytes that each path took. */
static int cmd_fill(char **paths, int n)
{
	static char chunk[65536];
	memset(chunk, 'x', sizeof(chunk));
	int *fds = calloc((size_t)n, sizeof(int));
	long long *took = calloc((size_t)n, sizeof(long long));
	for (int i = 0; i < n; i++)
		if ((fds[i] = open(paths[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
			return result(-1);
	for (int i = 0;; i = (i + 1) % n) {
		ssize_t w = write(fds[i], chunk, sizeof(chunk));
		if (w <= 0)
			break;
		took[i] += w;
	}
	const char *name = strerrorname_np(errno);
	printf("%s", name ? name : "EUNKNOWN");
	for (int i = 0; i < n; i++)
		printf(" %lld", took[i]);
	printf("\n");
	return 0;
}

/* Fork children that wait, up to max, until fork fails: prints how many
 * it made and why it stopped, then holds them until a line arrives on
 * stdin (or stdin closes), and ends them. */
static int cmd_forks(const char *max_text)
{
	long max = atol(max_text);
	pid_t *kids = calloc((size_t)max + 1, sizeof(pid_t));
	long n = 0;
	const char *why = "max";
	for (; n < max; n++) {
		pid_t pid = fork();
		if (pid < 0) {
			why = strerrorname_np(errno);
			break;
		}
		if (pid == 0) {
			pause();
			_exit(0);
		}
		kids[n] = pid;
	}
	printf("%ld %s\n", n, why ? why : "EUNKNOWN");
	char line[16];
	(void)!read(STDIN_FILENO, line, sizeof(line));
	for (long i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}

/* One more inotify instance, or (watches) one more watch on a fresh file
 * of /tmp in the instance *fd: 0, or -1 with errno set. */
static int inotify_one(int watches, int *fd, long i)
{
	if (!watches)
		return inotify_init1(IN_CLOEXEC) < 0 ? -1 : 0;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/watched-%ld", i);
	if (*fd < 0 && (*fd = inotify_init1(IN_CLOEXEC)) < 0)
		return -1;
	int file = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (file < 0)
		return -1;
	close(file);
	return inotify_add_watch(*fd, path, IN_MODIFY) < 0 ? -1 : 0;
}

/* inotify instances|watches MAX: makes them until that fails or MAX is
 * reached, prints how many and why it stopped (as forks does), and holds
 * them until a line arrives on stdin (or stdin closes). */
static int cmd_inotify(const char *kind, const char *max_text)
{
	long max = atol(max_text), n = 0;
	int fd = -1;
	const char *why = "max";
	for (; n < max; n++) {
		if (inotify_one(!strcmp(kind, "watches"), &fd, n) < 0) {
			why = strerrorname_np(errno);
			break;
		}
	}
	printf("%ld %s\n", n, why ? why : "EUNKNOWN");
	char line[16];
	(void)!read(STDIN_FILENO, line, sizeof(line));
	return 0;
}

static int cmd_exec(char **argv)
{
	execv(argv[0], argv);
	return result(-1);
}

static int cmd_exit(const char *code)
{
	return atoi(code);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: gb-probe COMMAND [ARG]\n");
		return 2;
	}
	const char *c = argv[1];
	const char *a = argc > 2 ? argv[2] : "";
	if (!strcmp(c, "status"))
		return cmd_status();
	if (!strcmp(c, "read"))
		return cmd_read(a);
	if (!strcmp(c, "write"))
		return cmd_write(a);
	if (!strcmp(c, "fds"))
		return cmd_fds();
	if (!strcmp(c, "pids"))
		return cmd_pids();
	if (!strcmp(c, "ifaces"))
		return cmd_ifaces();
	if (!strcmp(c, "bind-port"))
		return cmd_bind_port(a);
	if (!strcmp(c, "userns-bind-port"))
		return cmd_userns_bind_port(a);
	if (!strcmp(c, "tiocsti"))
		return cmd_tiocsti();
	if (!strcmp(c, "tioclinux"))
		return cmd_tioclinux();
	if (!strcmp(c, "tiocsetd"))
		return cmd_tiocsetd();
	if (!strcmp(c, "ttyname"))
		return cmd_ttyname();
	if (!strcmp(c, "syscall"))
		return cmd_syscall(a);
	if (!strcmp(c, "int80"))
		return cmd_int80();
	if (!strcmp(c, "x32"))
		return cmd_x32();
	if (!strcmp(c, "wait-signal"))
		return cmd_wait_signal();
	if (!strcmp(c, "hostname"))
		return cmd_hostname();
	if (!strcmp(c, "exec") && argc > 2)
		return cmd_exec(argv + 2);
	if (!strcmp(c, "exit"))
		return cmd_exit(a);
	if (!strcmp(c, "fill") && argc > 2)
		return cmd_fill(argv + 2, argc - 2);
	if (!strcmp(c, "forks"))
		return cmd_forks(a);
	if (!strcmp(c, "inotify") && argc > 3)
		return cmd_inotify(a, argv[3]);
	if (!strcmp(c, "socket"))
		return cmd_socket(a);
	if (!strcmp(c, "pid"))
		return cmd_pid();
	if (!strcmp(c, "ns"))
		return cmd_ns(a);
	if (!strcmp(c, "unshare"))
		return cmd_unshare(a);
	if (!strcmp(c, "clone3"))
		return cmd_clone3();
	if (!strcmp(c, "wx-mmap"))
		return cmd_wx_mmap();
	if (!strcmp(c, "wx-mprotect"))
		return cmd_wx_mprotect();
	if (!strcmp(c, "memfd"))
		return cmd_memfd(a);
	if (!strcmp(c, "memfd-jit"))
		return cmd_memfd_jit();
	if (!strcmp(c, "personality"))
		return cmd_personality(a);
	if (!strcmp(c, "high-bits"))
		return cmd_high_bits(a);
	fprintf(stderr, "gb-probe: unknown command %s\n", c);
	return 2;
}
