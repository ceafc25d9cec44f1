/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The architecture glovebox is built for, as the kernel's audit value that
 * seccomp programs compare against. */
#pragma once

#include <linux/audit.h>

#if defined(__x86_64__) && !defined(__ILP32__)
#define GB_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define GB_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define GB_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define GB_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define GB_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define GB_AUDIT_ARCH AUDIT_ARCH_S390X
#else
#error "glovebox does not know this architecture's audit value"
#endif
