/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/throughput: how many launches per second a machine sustains with
 * P of them in flight, as a build system with -jP starts its steps, and
 * what each launch costs in CPU time.
 *
 *   throughput LAUNCHES P ROUNDS :: NAME [+fd=N:PATH] CMD ARGS... :: ...
 *
 * Each round runs LAUNCHES launches of every command, commands in a
 * rotating order, keeping P in flight (a new one starts as soon as one
 * ends; no shell between). +fd=N:PATH opens PATH afresh as descriptor N
 * in each launch (bwrap --seccomp N reads its program from there).
 *
 * Output: one line per command, medians over the rounds:
 *   NAME launches/s user-us sys-us machine-us
 * user-us and sys-us are the CPU time per launch of the whole process tree
 * (getrusage RUSAGE_CHILDREN: every process the launch started and reaped,
 * with the kernel work done on their behalf). The benchmark is a child
 * subreaper, so that processes which outlive the launcher itself are
 * reaped here and counted too: glovebox's supervisor returns as soon as
 * pid 1 reports the status, and pid 1 (which reaped the command) ends
 * after it. Without this, those two processes' CPU time (and the
 * command's) went to the machine's init and was missing from glovebox's
 * figure: measured as nobody on a busy 2-CPU VM, it showed 0.71 of
 * bwrap's CPU time per launch where the whole tree costs 0.90. machine-us is the busy time
 * of all CPUs per launch (/proc/stat), which also counts work the kernel
 * defers to its own threads, such as a network namespace's teardown, but
 * also anything else the machine does meanwhile: it means something only
 * on an otherwise idle machine. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	const char *name;
	char **argv;
	int fd;           /* -1, or the descriptor to open path as */
	const char *path;
	double *rate, *user, *sys, *machine; /* one per round */
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double tv_us(struct timeval tv)
{
	return (double)tv.tv_sec * 1e6 + (double)tv.tv_usec;
}

/* Busy time of all CPUs so far, in microseconds (everything but idle and
 * iowait). */
static double machine_busy_us(void)
{
	FILE *f = fopen("/proc/stat", "re");
	unsigned long long v[10] = {0};
	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
			 &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]) < 8) {
		perror("/proc/stat");
		exit(1);
	}
	fclose(f);
	unsigned long long busy = 0;
	for (int i = 0; i < 8; i++)
		if (i != 3 && i != 4)
			busy += v[i];
	return (double)busy * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

static pid_t start(const struct cmd *c, int devnull)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid > 0)
		return pid;
	dup2(devnull, 1);
	if (c->fd >= 0) {
		int fd = open(c->path, O_RDONLY);
		if (fd < 0 || dup2(fd, c->fd) < 0)
			_exit(126);
	}
	execvp(c->argv[0], c->argv);
	_exit(127);
}

/* Reaps one process: true when it was one of the launches in flight (at
 * running[0..n), then taken out of it), false for one that outlived its
 * launcher and came to the subreaper. */
static bool reap(const struct cmd *c, pid_t *running, int *n)
{
	int status;
	pid_t pid = waitpid(-1, &status, 0);
	if (pid < 0) {
		perror("waitpid");
		exit(1);
	}
	int i = 0;
	while (i < *n && running[i] != pid)
		i++;
	if (i == *n)
		return false;
	running[i] = running[--*n];
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "throughput: %s failed (status %#x)\n", c->name, status);
		exit(1);
	}
	return true;
}

/* The processes left over from the batch's launches, so that their CPU
 * time counts for it. */
static void reap_leftovers(void)
{
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void batch(struct cmd *c, int launches, int p, int devnull, int round)
{
	struct rusage r0, r1;
	getrusage(RUSAGE_CHILDREN, &r0);
	double m0 = machine_busy_us(), t0 = now_s();
	pid_t *running = calloc((size_t)p, sizeof(*running));
	int started = 0, n = 0;
	while (started < launches || n > 0) {
		if (started < launches && n < p) {
			running[n++] = start(c, devnull);
			started++;
			continue;
		}
		(void)reap(c, running, &n);
	}
	free(running);
	/* The rate counts up to the last launcher's return, as a build
	 * waits for its steps; the CPU time also what ends after it. */
	double t = now_s() - t0;
	reap_leftovers();
	double m = machine_busy_us() - m0;
	getrusage(RUSAGE_CHILDREN, &r1);
	if (round < 0)
		return;
	c->rate[round] = launches / t;
	c->user[round] = (tv_us(r1.ru_utime) - tv_us(r0.ru_utime)) / launches;
	c->sys[round] = (tv_us(r1.ru_stime) - tv_us(r0.ru_stime)) / launches;
	c->machine[round] = m / launches;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* "+fd=N:PATH" */
static int parse_fd(const char *arg, struct cmd *c)
{
	char *end;
	if (strncmp(arg, "+fd=", 4) != 0)
		return 0;
	long fd = strtol(arg + 4, &end, 10);
	if (*end != ':' || fd < 3 || fd > 1000)
		return -1;
	c->fd = (int)fd;
	c->path = end + 1;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 7 || strcmp(argv[4], "::") != 0) {
		fprintf(stderr, "usage: throughput LAUNCHES P ROUNDS :: NAME [+fd=N:PATH] CMD... "
				"[:: ...]\n");
		return 2;
	}
	int launches = atoi(argv[1]), p = atoi(argv[2]), rounds = atoi(argv[3]);
	if (launches < 1 || p < 1 || rounds < 1) {
		fprintf(stderr, "throughput: LAUNCHES, P and ROUNDS must be positive\n");
		return 2;
	}
	/* Count the commands, then cut argv at each "::" (a command's own "--"
	 * must stay in its argv). */
	int n = 0;
	for (int i = 4; i < argc; i++)
		n += strcmp(argv[i], "::") == 0;
	struct cmd *cmds = calloc((size_t)n, sizeof(*cmds));
	int k = 0;
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "::") != 0)
			continue;
		argv[i] = NULL;
		struct cmd *c = &cmds[k];
		*c = (struct cmd){.fd = -1};
		int at = i + 1;
		if (at >= argc || strcmp(argv[at], "::") == 0)
			continue; /* "::" without a name */
		c->name = argv[at++];
		int r = at < argc ? parse_fd(argv[at], c) : 0;
		if (r < 0) {
			fprintf(stderr, "throughput: bad %s\n", argv[at]);
			return 2;
		}
		at += r;
		if (at >= argc || strcmp(argv[at], "::") == 0)
			continue; /* a name without a command */
		c->argv = &argv[at];
		c->rate = calloc((size_t)rounds, sizeof(double));
		c->user = calloc((size_t)rounds, sizeof(double));
		c->sys = calloc((size_t)rounds, sizeof(double));
		c->machine = calloc((size_t)rounds, sizeof(double));
		k++;
	}
	n = k;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		perror("throughput: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	/* One warm-up batch of each (page cache, seccomp cache), then the
	 * rounds, each starting with another command. */
	for (int r = -1; r < rounds; r++)
		for (int j = 0; j < n; j++)
			batch(&cmds[(j + (r < 0 ? 0 : r)) % n], r < 0 ? p : launches, p, devnull, r);
	for (int j = 0; j < n; j++)
		printf("%s %.1f %.0f %.0f %.0f\n", cmds[j].name, median(cmds[j].rate, rounds),
		       median(cmds[j].user, rounds), median(cmds[j].sys, rounds),
		       median(cmds[j].machine, rounds));
	return 0;
}
