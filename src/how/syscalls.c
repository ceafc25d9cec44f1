/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/syscalls.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const struct syscall_info syscall_table[] = {
#define SYSCALL(n, nr, widths) {#n, nr, widths},
#include "how/syscall-list.h"
#undef SYSCALL
};
const size_t syscall_count = ELEMENTSOF(syscall_table);

_Static_assert(ELEMENTSOF(syscall_table) <= (size_t)SYSCALL_SET_WORDS * 64, "syscall_set is too small");

/* Group names follow systemd's where the meaning matches, so that people who
 * know SystemCallFilter= can read a profile without a manual. */
const struct syscall_group syscall_groups[] = {
	{"@default", "calls every process needs: memory, time, identity queries, exit",
	 "arch_prctl brk cacheflush clock_getres clock_getres_time64 clock_gettime clock_gettime64 "
	 "clock_nanosleep clock_nanosleep_time64 execve exit exit_group futex futex_time64 "
	 "futex_waitv futex_wait futex_wake futex_requeue get_robust_list get_thread_area "
	 "getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups getgroups32 getpgid "
	 "getpgrp getpid getppid getrandom getresgid getresgid32 getresuid getresuid32 getrlimit "
	 "getsid gettid gettimeofday getuid getuid32 lsm_get_self_attr lsm_list_modules membarrier "
	 "map_shadow_stack mmap mmap2 mprotect munmap nanosleep pause prlimit64 restart_syscall "
	 "riscv_flush_icache riscv_hwprobe rseq rt_sigreturn sched_getaffinity sched_yield "
	 "set_robust_list set_thread_area set_tid_address set_tls sigreturn time ugetrlimit "
	 "uretprobe"},
	{"@aio", "asynchronous I/O (io_uring is separate: see @io-uring)",
	 "io_cancel io_destroy io_getevents io_pgetevents io_pgetevents_time64 io_setup io_submit"},
	{"@basic-io", "reading, writing, seeking and closing descriptors",
	 "_llseek close close_range dup dup2 dup3 lseek pread64 preadv preadv2 pwrite64 pwritev "
	 "pwritev2 read readv write writev"},
	{"@chown", "changing file ownership",
	 "chown chown32 fchown fchown32 fchownat lchown lchown32"},
	{"@clock", "setting the system clock", "adjtimex clock_adjtime clock_adjtime64 "
					       "clock_settime clock_settime64 settimeofday stime"},
	{"@cpu-emulation", "CPU emulation and segment tables",
	 "modify_ldt subpage_prot switch_endian vm86 vm86old"},
	{"@debug", "debugging, tracing and performance monitoring",
	 "lookup_dcookie perf_event_open pidfd_getfd ptrace rtas s390_runtime_instr "
	 "sys_debug_setcontext"},
	{"@file-system", "files and directories: open, stat, create, rename, watch",
	 "access chdir chmod close creat faccessat faccessat2 fallocate fchdir fchmod fchmodat "
	 "fchmodat2 fcntl fcntl64 fgetxattr flistxattr fremovexattr fsetxattr fstat fstat64 "
	 "fstatat64 fstatfs fstatfs64 ftruncate ftruncate64 futimesat getcwd getdents getdents64 "
	 "getxattr getxattrat inotify_add_watch inotify_init inotify_init1 inotify_rm_watch "
	 "lgetxattr link linkat listxattr listxattrat llistxattr lremovexattr lsetxattr lstat "
	 "lstat64 mkdir mkdirat mknod mknodat mmap mmap2 munmap newfstatat oldfstat oldlstat "
	 "oldstat open openat openat2 readlink readlinkat removexattr removexattrat rename "
	 "renameat renameat2 rmdir setxattr setxattrat stat stat64 statfs statfs64 statx symlink "
	 "symlinkat truncate truncate64 unlink unlinkat utime utimensat utimensat_time64 utimes "
	 "file_getattr file_setattr cachestat"},
	{"@io-event", "waiting for events on descriptors: poll, select, epoll, eventfd",
	 "_newselect epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 "
	 "epoll_wait epoll_wait_old eventfd eventfd2 poll ppoll ppoll_time64 pselect6 "
	 "pselect6_time64 select"},
	{"@io-uring", "io_uring; its operations bypass seccomp, so it is never part of another group",
	 "io_uring_enter io_uring_register io_uring_setup"},
	{"@ipc", "pipes, SysV and POSIX IPC, memfd, cross-process memory",
	 "ipc memfd_create mq_getsetattr mq_notify mq_open mq_timedreceive "
	 "mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink msgctl msgget msgrcv "
	 "msgsnd pipe pipe2 process_madvise process_vm_readv process_vm_writev semctl semget "
	 "semop semtimedop semtimedop_time64 shmat shmctl shmdt shmget"},
	{"@keyring", "the kernel key store, which is not namespaced",
	 "add_key keyctl request_key"},
	{"@memlock", "locking memory", "mlock mlock2 mlockall munlock munlockall"},
	{"@module", "loading and unloading kernel modules",
	 "delete_module finit_module init_module"},
	{"@mount", "mounting, pivot_root and chroot",
	 "chroot fsconfig fsmount fsopen fspick mount mount_setattr move_mount open_tree "
	 "open_tree_attr pivot_root umount umount2 statmount listmount"},
	{"@network-io", "sockets", "accept accept4 bind connect getpeername getsockname getsockopt "
				   "listen recv recvfrom recvmmsg recvmmsg_time64 recvmsg send "
				   "sendmmsg sendmsg sendto setsockopt shutdown socket socketcall "
				   "socketpair"},
	{"@obsolete", "calls no current program needs",
	 "_sysctl afs_syscall bdflush break create_module ftime get_kernel_syms getpmsg gtty idle "
	 "lock mpx prof profil putpmsg query_module security sgetmask ssetmask stty sysfs tuxcall "
	 "ulimit uselib ustat vserver nfsservctl"},
	{"@pkey", "memory protection keys", "pkey_alloc pkey_free pkey_mprotect"},
	{"@privileged", "calls that need privileges a sandbox never has",
	 "@chown @clock @module @raw-io @reboot @swap _sysctl acct bpf capset chroot fanotify_init "
	 "fanotify_mark nfsservctl open_by_handle_at pivot_root quotactl quotactl_fd "
	 "setdomainname setfsuid setfsuid32 setgroups setgroups32 sethostname setresuid "
	 "setresuid32 setreuid setreuid32 setuid setuid32 vhangup"},
	{"@process", "creating, signalling and waiting for processes",
	 "capget clone clone3 execveat fork getrusage kill pidfd_open pidfd_send_signal prctl "
	 "rt_sigqueueinfo rt_tgsigqueueinfo setns swapcontext tgkill times tkill unshare vfork "
	 "wait4 waitid waitpid process_mrelease"},
	{"@raw-io", "raw I/O ports and PCI configuration",
	 "ioperm iopl pciconfig_iobase pciconfig_read pciconfig_write s390_pci_mmio_read "
	 "s390_pci_mmio_write"},
	{"@reboot", "rebooting and replacing the kernel", "kexec_file_load kexec_load reboot"},
	{"@resources", "changing scheduling, memory policy and resource limits",
	 "ioprio_set mbind migrate_pages move_pages nice sched_setaffinity sched_setattr "
	 "sched_setparam sched_setscheduler set_mempolicy set_mempolicy_home_node setpriority "
	 "setrlimit"},
	{"@sandbox", "calls a program uses to sandbox itself",
	 "landlock_add_rule landlock_create_ruleset landlock_restrict_self seccomp"},
	{"@setuid", "changing user and group ids",
	 "setgid setgid32 setgroups setgroups32 setregid setregid32 setresgid setresgid32 "
	 "setresuid setresuid32 setreuid setreuid32 setuid setuid32"},
	{"@signal", "signal handlers, masks and signalfd",
	 "rt_sigaction rt_sigpending rt_sigprocmask rt_sigsuspend rt_sigtimedwait "
	 "rt_sigtimedwait_time64 sigaction sigaltstack signal signalfd signalfd4 sigpending "
	 "sigprocmask sigsuspend"},
	{"@swap", "enabling and disabling swap", "swapoff swapon"},
	{"@sync", "flushing data to storage",
	 "fdatasync fsync msync sync sync_file_range sync_file_range2 syncfs"},
	{"@timer", "alarms and timers",
	 "alarm getitimer setitimer timer_create timer_delete timer_getoverrun timer_gettime "
	 "timer_gettime64 timer_settime timer_settime64 timerfd_create timerfd_gettime "
	 "timerfd_gettime64 timerfd_settime timerfd_settime64 times"},
	{"@system-service", "what an ordinary service or command-line program uses",
	 "@aio @basic-io @chown @default @file-system @io-event @ipc @keyring @memlock "
	 "@network-io @process @resources @setuid @signal @sync @timer capget capset "
	 "copy_file_range fadvise64 fadvise64_64 arm_fadvise64_64 flock get_mempolicy getcpu "
	 "getpriority ioctl ioprio_get kcmp madvise mremap name_to_handle_at oldolduname olduname "
	 "personality readahead readdir remap_file_pages sched_get_priority_max "
	 "sched_get_priority_min sched_getattr sched_getparam sched_getscheduler "
	 "sched_rr_get_interval sched_rr_get_interval_time64 sched_yield sendfile sendfile64 "
	 "setfsgid setfsgid32 setfsuid setfsuid32 setpgid setsid splice sysinfo tee umask uname "
	 "userfaultfd vmsplice mincore syslog"},
	/* @setuid is in: make and posix_spawn(POSIX_SPAWN_RESETIDS) set the ids
	 * the process already has, and without CAP_SETUID, which no shipped
	 * profile keeps, the kernel refuses any other change. */
	{"@build", "what compilers, linkers, make and test runners use: @system-service without "
		   "the keyring, memory locking and scheduling changes",
	 "@default @basic-io @file-system @io-event @ipc @process @signal @sync @timer @chown "
	 "@network-io @aio @setuid capget copy_file_range fadvise64 fadvise64_64 arm_fadvise64_64 flock "
	 "get_mempolicy getcpu getpriority ioctl ioprio_get kcmp madvise mincore mremap "
	 "name_to_handle_at oldolduname olduname personality readahead readdir "
	 "sched_get_priority_max sched_get_priority_min sched_getattr sched_getparam "
	 "sched_getscheduler sched_rr_get_interval sched_rr_get_interval_time64 sched_yield "
	 "sendfile sendfile64 setpgid setsid setrlimit splice sysinfo tee umask uname vmsplice"},
	{"@known", "every call glovebox knows, except io_uring", NULL},
};
const size_t syscall_group_count = ELEMENTSOF(syscall_groups);

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct syscall_info *)elem)->name);
}

int syscall_lookup(const char *name)
{
	const struct syscall_info *s =
		bsearch(name, syscall_table, syscall_count, sizeof(syscall_table[0]), cmp_name);
	return s ? (int)(s - syscall_table) : -1;
}

const struct syscall_group *syscall_group_lookup(const char *name)
{
	for (size_t i = 0; i < syscall_group_count; i++)
		if (streq(syscall_groups[i].name, name))
			return &syscall_groups[i];
	return NULL;
}

bool syscall_is_explicit_only(size_t index)
{
	return str_startswith(syscall_table[index].name, "io_uring_");
}

/* The calls that end a process or return from its signal handlers
 * (sigreturn is rt_sigreturn on older ABIs). Denied, a process cannot
 * even exit: glibc's _exit falls through to a crash, and a sanitizer
 * runtime spins trying. */
static const char *const always_allowed[] = {"exit", "exit_group", "rt_sigreturn", "sigreturn"};

bool syscall_is_always_allowed(size_t index)
{
	/* Asked once per call for every launch (the cache key): a bit set,
	 * filled on first use, rather than name comparisons. */
	static syscall_set set;
	static bool ready;
	if (!ready) {
		for (size_t k = 0; k < ELEMENTSOF(always_allowed); k++)
			syscall_set_add(&set, (size_t)syscall_lookup(always_allowed[k]));
		ready = true;
	}
	return syscall_set_has(&set, index);
}

static int resolve_depth(const char *name, syscall_set *set, bool via_group, unsigned depth)
{
	if (depth > 8)
		return -ELOOP;
	if (name[0] != '@') {
		int i = syscall_lookup(name);
		if (i < 0)
			return -ENOENT;
		if (!(via_group && syscall_is_explicit_only((size_t)i)))
			syscall_set_add(set, (size_t)i);
		return 0;
	}
	const struct syscall_group *g = syscall_group_lookup(name);
	if (!g)
		return -ENOENT;
	bool explicit_group = streq(name, "@io-uring");
	if (!g->members) { /* @known */
		for (size_t i = 0; i < syscall_count; i++)
			if (!syscall_is_explicit_only(i))
				syscall_set_add(set, i);
		return 0;
	}
	const char *p = g->members;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == 0)
			break;
		char member[64];
		if (len >= sizeof(member))
			return -ENAMETOOLONG;
		memcpy(member, p, len);
		member[len] = '\0';
		int r = resolve_depth(member, set, !explicit_group, depth + 1);
		if (r < 0)
			return r;
		p += len;
	}
	return 0;
}

int syscall_resolve(const char *name, syscall_set *set)
{
	return resolve_depth(name, set, false, 0);
}

int syscall_native_nr(size_t index)
{
#if defined(__x86_64__) && !defined(__ILP32__)
	return syscall_table[index].nr_x86_64;
#else
	int nr = seccomp_syscall_resolve_name(syscall_table[index].name);
	return nr == __NR_SCMP_ERROR || nr < 0 ? -1 : nr;
#endif
}

/* Entry points that take other arguments than the ones syscall-list.h
 * describes. s390x's clone takes the new stack first and the flags second
 * (CONFIG_CLONE_BACKWARDS2 in kernel/fork.c), and its mmap is
 * sys_old_mmap, which takes one pointer to the six arguments. */
static const struct {
	const char *name;
	const char *arg_widths;
} arch_arg_widths[] = {
#if defined(__s390x__)
	{"clone", "lilll"},
	{"mmap", "l"},
#endif
	{NULL, NULL},
};

unsigned syscall_arg_bits(size_t index, unsigned arg)
{
	const char *w = syscall_table[index].arg_widths;
	for (size_t i = 0; arch_arg_widths[i].name; i++)
		if (streq(arch_arg_widths[i].name, syscall_table[index].name))
			w = arch_arg_widths[i].arg_widths;
	char c = arg < strlen(w) ? w[arg] : 'l';
	return c == 'h' ? 16 : c == 'i' ? 32 : (unsigned)sizeof(long) * 8;
}
