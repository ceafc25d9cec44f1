/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between the parts of the profile loader: reading a file's lines
 * (profile-ini.c), turning a key's lines into arguments (profile-args.c),
 * finding files and drop-ins (profile-find.c) and layering them into the
 * policy (profile.c). */
#pragma once

#include "policy/profile.h"

/* One line inih handed over: a key line, or an indented line continuing
 * the key before it. */
struct profile_entry {
	char *section, *key, *value;
	unsigned line;
	bool continuation;
};

struct profile_entries {
	struct profile_entry *v;
	size_t n, cap;
};

/* Parse TEXT (a byte order mark skipped) into OUT, every structural
 * problem reported to D with FILE and its line: OUT holds only lines with
 * a known section and key. Returns inih's result (0, or the line it could
 * not parse). */
int profile_parse_lines(struct diag *d, const char *file, const char *text, size_t len,
			struct profile_entries *out);
void profile_entries_free(struct profile_entries *e);

/* The whole of the regular file at fd, NUL-terminated, at most
 * PROFILE_MAX_SIZE: -EINVAL when not a regular file, -EFBIG when larger. */
int profile_read_file(int fd, char **out, size_t *len);

/* The arguments of a key's line and of the N-1 indented lines that
 * continue it, split and expanded. Returns 1 when the entry is skipped. */
int profile_entry_args(struct profile_loader *l, const struct gb_option *opt,
		       const struct profile_entry *e, size_t n, const struct origin *o,
		       struct strv *args);

/* A bare name is looked up on the search path; a name with a '/' or
 * ending in ".ini" is a file, as `glovebox check photos.ini` reads it. */
bool profile_is_bare_name(const char *s);
/* The directory of PATH for an include relative to it: "" when PATH has
 * no '/'. To be freed. */
char *profile_dir_of(const char *path);
/* The name of a profile file for its drop-ins: "x" for DIR/x.ini. */
char *profile_stem(const char *path);
/* Open NAME (from the search path when bare, else relative to the
 * directory relative_to). Returns the fd or -errno; *path_out, the file
 * found or the one that failed (when set), is to be freed. */
int profile_open(struct profile_loader *l, const char *name, const char *relative_to,
		 char **path_out);
