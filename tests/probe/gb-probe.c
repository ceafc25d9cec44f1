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

static int cmd_memfd(const char *how)
{
	unsigned flags = MFD_CLOEXEC;
	if (!strcmp(how, "noexec"))
		flags |= 0x8; /* MFD_NOEXEC_SEAL */
	int fd = (int)syscall(SYS_memfd_create, "probe", flags);
	if (fd >= 0)
		close(fd);
	return result(fd);
}

static int cmd_personality(const char *value)
{
	return result((int)syscall(SYS_personality, strtoul(value, NULL, 0)) < 0 ? -1 : 0);
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
	if (!strcmp(c, "personality"))
		return cmd_personality(a);
	fprintf(stderr, "gb-probe: unknown command %s\n", c);
	return 2;
}
