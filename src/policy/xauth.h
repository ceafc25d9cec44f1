/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Xauthority files (Xau's format): the cookies of one display. Pure. */
#pragma once

#include <stddef.h>

/* The entries of an Xauthority file (buf, len) that a client of display
 * number `number` on host `hostname` would use (address family Local
 * with that host name, or Wild), in order, each rewritten to family Wild
 * with no address: the sandbox has a host name of its own, and the copy
 * holds that display's cookies alone. *out (to be freed) may be empty.
 * 0, or -EINVAL when the file is cut short. */
int xauth_for_display(const unsigned char *buf, size_t len, const char *number,
		      const char *hostname, unsigned char **out, size_t *out_len);
