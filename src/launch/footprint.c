/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <elf.h>
#include <link.h>
#include <malloc.h>
#include <sys/auxv.h>
#include <sys/mman.h>

#include "launch/internal.h"

/* The program's own ELF header, placed by the linker at the start of its
 * first segment: its address gives the load bias. */
extern const ElfW(Ehdr) __ehdr_start;

struct range {
	uintptr_t start, end;
};

static struct range page_range(uintptr_t bias, const ElfW(Phdr) *ph)
{
	uintptr_t page = (uintptr_t)getpagesize();
	return (struct range){(bias + ph->p_vaddr) & ~(page - 1),
			      (bias + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1)};
}

static bool overlaps(struct range a, struct range b)
{
	return a.start < b.end && b.start < a.end;
}

/* Whether r meets the segment that is written at start-up (relocated)
 * and made read-only after: its pages are no longer the file's, and
 * dropping them would undo the relocations. */
static bool meets_relro(const ElfW(Phdr) *phdr, size_t n, uintptr_t bias, struct range r)
{
	for (size_t i = 0; i < n; i++)
		if (phdr[i].p_type == PT_GNU_RELRO && overlaps(page_range(bias, &phdr[i]), r))
			return true;
	return false;
}

static void drop(struct range r)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): addresses from the headers */
	(void)madvise((void *)r.start, r.end - r.start, MADV_DONTNEED);
}

static void drop_program_pages(void)
{
	/* Freed heap pages go back too (the mount table, the set-up's
	 * scratch). */
	malloc_trim(0);
	/* The program headers where the kernel mapped them (the auxiliary
	 * vector says), not as an offset from __ehdr_start: that object is
	 * one header long, and reading past it is out of its bounds. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr): an address the kernel gives */
	const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	size_t n = getauxval(AT_PHNUM);
	if (!phdr)
		return;
	uintptr_t bias = 0;
	for (size_t i = 0; i < n; i++)
		if (phdr[i].p_type == PT_LOAD && phdr[i].p_offset == 0)
			bias = (uintptr_t)&__ehdr_start - phdr[i].p_vaddr;
	/* The segment that holds the program headers goes last: reading them
	 * after would bring its page back. */
	struct range headers = {0, 0};
	for (size_t i = 0; i < n; i++) {
		struct range r = page_range(bias, &phdr[i]);
		if (phdr[i].p_type != PT_LOAD || (phdr[i].p_flags & PF_W) ||
		    meets_relro(phdr, n, bias, r))
			continue;
		if (overlaps(r, (struct range){(uintptr_t)phdr, (uintptr_t)(phdr + n)}))
			headers = r;
		else
			drop(r);
	}
	if (headers.end)
		drop(headers);
}

int footprint_wait_ms(const struct footprint *f, int wait_ms)
{
	if (f->dropped || (wait_ms >= 0 && wait_ms < FOOTPRINT_IDLE_MS))
		return wait_ms;
	return FOOTPRINT_IDLE_MS;
}

void footprint_idle(struct footprint *f)
{
	if (!f->dropped)
		drop_program_pages();
	f->dropped = true;
}
