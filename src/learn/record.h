/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What glovebox learn saw a command use, and the profile that allows it:
 * pure code, no kernel access (the listener that fills a record is
 * listen.c). The profile carries its findings as "# learn-" comment lines
 * too, so --merge can read them back without trusting anything else in
 * the file. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "how/syscalls.h"
#include "util.h"

struct learn_file {
	char *path;
	bool write; /* opened for writing (else read or run) */
};

struct learn_record {
	syscall_set calls;   /* every call the command was seen to make */
	syscall_set kept;    /* calls a merged earlier run needed: kept whatever BASE allows */
	uint64_t families;   /* bit n: socket() or socketpair() with family n */
	uint32_t *ioctls;    /* request numbers, each once */
	size_t n_ioctls;
	struct learn_file *files; /* absent under BASE, present on the host */
	size_t n_files;
	struct strv includes; /* the BASE profiles, in order */
	struct strv runs;     /* each command learned from, as one line */
};

/* What BASE allows already: only the rest goes in the learned profile. */
struct learn_base {
	syscall_set allowed;
	bool families_restricted;
	uint64_t families;
	bool network_off; /* network = none: inet sockets reach nothing outside */
};

void learn_record_free(struct learn_record *r);
void learn_add_ioctl(struct learn_record *r, uint32_t request);
/* A path seen again for writing becomes writable. */
void learn_add_file(struct learn_record *r, const char *path, bool write);

/* A path a profile line can carry as it is: absolute, no blank, no
 * control character, no '$' (profiles expand ${VAR}), no '#'. */
bool learn_path_writable(const char *path);

/* The learned profile's text (malloc'd). */
char *learn_profile_text(const struct learn_record *r, const struct learn_base *b);

/* Add an earlier learned profile's "# learn-" lines to r (its calls into
 * r->kept). Returns 0, or -1 when text is no profile glovebox learn wrote. */
int learn_record_parse(const char *text, struct learn_record *r);
