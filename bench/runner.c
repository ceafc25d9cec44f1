/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench/runner: start commands many times, interleaved, and report the
 * wall time of each start (fork, exec, wait) in microseconds.
 *
 *   runner ROUNDS WARMUP :: NAME CMD ARGS... :: NAME CMD ARGS... ...
 *
 * Each round runs every command once, in a rotating order, so that slow
 * drift of the machine (a background task, another sandbox's teardown)
 * spreads over all commands alike. Output: one line per command,
 * "NAME median mean p10 p90 rss", times in microseconds, rss the median
 * over the runs of the launcher process's peak RSS in KiB. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	const char *name;
	char **argv;
	double *samples;
	double *rss; /* the launcher's peak RSS of each run, KiB */
};

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double run_once(struct cmd *c, int devnull, long *rss)
{
	double t0 = now_us();
	pid_t pid = fork();
	if (pid == 0) {
		dup2(devnull, 1);
		execvp(c->argv[0], c->argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		exit(1);
	}
	double t = now_us() - t0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runner: %s failed (status %d)\n", c->name, status);
		exit(1);
	}
	*rss = ru.ru_maxrss;
	return t;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: runner ROUNDS WARMUP :: NAME CMD... [:: NAME CMD...]...\n");
		return 2;
	}
	int rounds = atoi(argv[1]), warmup = atoi(argv[2]);
	struct cmd cmds[16];
	int n = 0;
	/* Split at "::" (glovebox's own "--" must stay in its argv): first
	 * find the separators, then cut. */
	int seps[17], n_seps = 0;
	for (int i = 3; i < argc && n_seps < 16; i++)
		if (strcmp(argv[i], "::") == 0)
			seps[n_seps++] = i;
	seps[n_seps] = argc;
	for (int k = 0; k < n_seps; k++) {
		if (seps[k] + 2 > seps[k + 1] - 1 + 1 && seps[k] + 2 >= seps[k + 1])
			continue; /* "::" NAME with no command */
		cmds[n] = (struct cmd){.name = argv[seps[k] + 1], .argv = &argv[seps[k] + 2]};
		cmds[n].samples = calloc((size_t)rounds, sizeof(double));
		cmds[n].rss = calloc((size_t)rounds, sizeof(double));
		n++;
	}
	for (int k = 1; k < n_seps; k++)
		argv[seps[k]] = NULL;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (int r = -warmup; r < rounds; r++)
		for (int k = 0; k < n; k++) {
			struct cmd *c = &cmds[(k + (r < 0 ? 0 : r)) % n];
			long rss;
			double t = run_once(c, devnull, &rss);
			if (r >= 0) {
				c->samples[r] = t;
				c->rss[r] = (double)rss;
			}
		}
	for (int k = 0; k < n; k++) {
		double sum = 0;
		for (int r = 0; r < rounds; r++)
			sum += cmds[k].samples[r];
		qsort(cmds[k].samples, (size_t)rounds, sizeof(double), cmp_double);
		qsort(cmds[k].rss, (size_t)rounds, sizeof(double), cmp_double);
		printf("%s %.0f %.0f %.0f %.0f %.0f\n", cmds[k].name, cmds[k].samples[rounds / 2],
		       sum / rounds, cmds[k].samples[rounds / 10], cmds[k].samples[rounds * 9 / 10],
		       cmds[k].rss[rounds / 2]);
	}
	return 0;
}
