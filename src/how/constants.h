/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names for the numbers that argument rules compare against: address
 * families, clone flags, memory protections, ioctl commands. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Newer than some of the headers glovebox builds against: the kernel's
 * values, which never change. */
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

enum const_kind {
	CONST_FAMILY, /* AF_* */
	CONST_CLONE,  /* CLONE_NEW* */
	CONST_PROT,   /* PROT_* */
	CONST_MAP,    /* MAP_* */
	CONST_MFD,    /* MFD_* */
	CONST_IOCTL,  /* ioctl commands */
	CONST_OTHER,
};

struct named_const {
	const char *name;
	uint64_t value;
	enum const_kind kind;
	const char *alias; /* short name for lists: "inet" for AF_INET, "net" for CLONE_NEWNET */
};

extern const struct named_const named_consts[];
extern const size_t named_const_count;

/* By full name ("AF_INET") or, within a kind, by alias ("inet"). */
const struct named_const *const_lookup(const char *name);
const struct named_const *const_lookup_kind(const char *name, enum const_kind kind);
/* The first name for a value of a kind, or NULL. */
const char *const_name(uint64_t value, enum const_kind kind);
