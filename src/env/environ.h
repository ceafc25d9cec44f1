/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The [env] layer: the environment the sandboxed command starts with. */
#pragma once

#include "policy/policy.h"

/* Build the command's environment from the launcher's. With clear = yes
 * only variables matching a keep pattern survive; then set and unset apply
 * in the order the layers gave them. Pure: unit-tested. */
void env_build(const struct policy *p, char *const *host_env, struct strv *out);
