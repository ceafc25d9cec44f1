/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Arguments the kernel reads as 32 bits.
 *
 * Seccomp sees every argument as the whole 64-bit register, but for an
 * int the kernel reads only the low half: socket((1 << 32) | AF_NETLINK,
 * ...) makes a netlink socket. libseccomp 2.5 compares all 64 bits, so a
 * rule "socket(arg0 == AF_NETLINK)" alone misses that call. glovebox
 * therefore compiles each comparison on a 32-bit argument (see
 * syscall_arg_bits) in two steps:
 *
 * 1. args32_encode gives the comparison a fixed upper half, ARGS32_MARK,
 *    so that libseccomp compares the upper half of the register against
 *    the mark first and then the low half against the rule's value, with
 *    the rule's operator;
 * 2. args32_rewrite, run on libseccomp's program, replaces each load of
 *    such an upper half with the constant mark. Every test on it then
 *    finds it equal, and only the low 32 bits decide, for ==, !=, <, <=,
 *    >, >= and & MASK == alike.
 *
 * The comparison stays unsigned: "arg0 < 5" holds for 0 to 4, and an int
 * of -1 is 0xffffffff. A file mode (umode_t) is 16 bits to the kernel: it
 * is compared with == and & MASK == only, on its low 16 bits. */
#pragma once

#include <seccomp.h>
#include <stddef.h>

#include "how/seccomp.h"

/* Not a value any 32-bit comparison has; a 64-bit comparison whose upper
 * half is this shares no code with the 32-bit ones, or the rewrite stops. */
#define ARGS32_MARK 0x9e3779b9u

/* Rewrite comparison c on known call syscall_index for libseccomp, when
 * its argument is narrower than a register (the value must fit in it). */
void args32_encode(size_t syscall_index, struct scmp_arg_cmp *c);

/* Make every load of the upper half of a narrow argument in prog load
 * ARGS32_MARK. Returns 0, or -EINVAL when one load serves calls whose
 * argument has different widths (libseccomp shares identical code). */
int args32_rewrite(struct how_program *prog);
