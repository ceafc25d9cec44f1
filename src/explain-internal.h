/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Between explain.c and the sections it prints from other files. */
#pragma once

#include "explain.h"

/* Where a value came from ("FILE:LINE", "command line KEY" or "glovebox's
 * default"), escaped: buf, or a constant string. */
const char *explain_from(const struct origin *o, bool set, char *buf, size_t size);
/* One "  key  value  # origin" line; the value escaped. */
void explain_row(FILE *f, const char *key, const char *value, const struct setting *s);

/* A byte count as a profile would write it (64M). */
const char *explain_size_text(uint64_t v, char *buf, size_t size);

/* The [how] section (explain-how.c). */
void explain_how(const struct policy *p, const struct explain_env *env, FILE *f);
/* The [limits] section (explain-limits.c). */
void explain_limits(const struct policy *p, FILE *f);
