/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic-BPF interpreter for seccomp programs, so that unit tests run a
 * compiled filter against made-up system calls without loading it. */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>

#include "how/seccomp.h"

/* Returns the filter's SECCOMP_RET_* value, or 0xdeadbeef for a program
 * the interpreter does not understand (which fails the calling test). */
uint32_t bpf_run(const struct sock_filter *insns, unsigned len, const struct seccomp_data *d);

/* Run a compiled how-layer program. */
uint32_t how_run(const struct how_program *prog, const struct seccomp_data *d);

/* A native (x86_64) call. */
struct seccomp_data native_call(int nr, uint64_t a0, uint64_t a1);

#define BPF_BAD 0xdeadbeefu
