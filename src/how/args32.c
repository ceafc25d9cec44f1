/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/args32.h"

#include <errno.h>
#include <linux/seccomp.h>

#include "how/syscalls.h"
#include "util.h"

static bool narrow(size_t syscall_index, unsigned arg)
{
	/* On a 32-bit architecture the upper half is always zero and
	 * libseccomp never looks at it. */
	return sizeof(long) == 8 && syscall_arg_bits(syscall_index, arg) < 64;
}

void args32_encode(size_t syscall_index, struct scmp_arg_cmp *c)
{
	/* A file mode is 16 bits to the kernel: == becomes & 0xffff ==, and a
	 * mask loses its upper bits (rules.c allows no other operator). */
	if (syscall_arg_bits(syscall_index, c->arg) == 16) {
		if (c->op == SCMP_CMP_EQ) {
			c->op = SCMP_CMP_MASKED_EQ;
			c->datum_b = c->datum_a;
			c->datum_a = 0xffff;
		} else if (c->op == SCMP_CMP_MASKED_EQ) {
			c->datum_a &= 0xffff;
		}
	}
	if (!narrow(syscall_index, c->arg))
		return;
	const uint64_t mark = (uint64_t)ARGS32_MARK << 32;
	if (c->op == SCMP_CMP_MASKED_EQ) {
		/* (mark & all ones) == mark, then (low & mask) == value */
		c->datum_a = UINT64_C(0xffffffff00000000) | (uint32_t)c->datum_a;
		c->datum_b = mark | (uint32_t)c->datum_b;
	} else {
		c->datum_a = mark | (uint32_t)c->datum_a;
	}
}

/* What is known at an instruction, over every path that reaches it: which
 * known calls can be under way, and whether A holds the call number. BPF
 * jumps only forward, so one pass in order sees every predecessor of an
 * instruction before the instruction itself. */
struct flow {
	bool reached;
	bool a_is_nr;
	syscall_set calls;
};

static void merge(struct flow *f, size_t len, size_t to, const struct flow *from)
{
	if (to >= len)
		return; /* the kernel refuses such a program; so does the interpreter */
	if (!f[to].reached) {
		f[to] = *from;
		return;
	}
	f[to].a_is_nr &= from->a_is_nr;
	for (size_t w = 0; w < SYSCALL_SET_WORDS; w++)
		f[to].calls.w[w] |= from->calls.w[w];
}

static bool jump_taken(uint16_t code, uint32_t a, uint32_t k)
{
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return a == k;
	case BPF_JGT:
		return a > k;
	case BPF_JGE:
		return a >= k;
	default: /* BPF_JSET */
		return (a & k) != 0;
	}
}

/* Split the calls in "in" by a jump on the call number. */
static void split(const struct sock_filter *insn, const syscall_set *in, syscall_set *taken,
		  syscall_set *not_taken)
{
	*taken = (syscall_set){0};
	*not_taken = (syscall_set){0};
	for (size_t i = 0; i < syscall_count; i++) {
		if (!syscall_set_has(in, i))
			continue;
		bool t = jump_taken(insn->code, (uint32_t)syscall_native_nr(i), insn->k);
		syscall_set_add(t ? taken : not_taken, i);
	}
}

/* The argument whose upper half lives at offset k of seccomp_data, or -1. */
static int upper_half_of(uint32_t k)
{
	const size_t upper = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 4 : 0;
	for (size_t arg = 0; arg < 6; arg++)
		if (k == offsetof(struct seccomp_data, args[arg]) + upper)
			return (int)arg;
	return -1;
}

/* 1 when every call in the set reads arg narrower than the register, 0
 * when none does, -EINVAL when they disagree. */
static int all_narrow(const syscall_set *calls, unsigned arg)
{
	bool some = false, all = true;
	for (size_t i = 0; i < syscall_count; i++) {
		if (!syscall_set_has(calls, i))
			continue;
		bool n = narrow(i, arg);
		some |= n;
		all &= n;
	}
	return some && all ? 1 : some ? -EINVAL : 0;
}

static int visit(struct sock_filter *insn, struct flow *f, size_t len, size_t pc)
{
	struct flow out = f[pc];
	switch (BPF_CLASS(insn->code)) {
	case BPF_LD: {
		bool abs = insn->code == (BPF_LD | BPF_W | BPF_ABS);
		out.a_is_nr = abs && insn->k == offsetof(struct seccomp_data, nr);
		int arg = abs ? upper_half_of(insn->k) : -1;
		int n = arg < 0 ? 0 : all_narrow(&f[pc].calls, (unsigned)arg);
		if (n < 0)
			return n;
		if (n)
			*insn = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, ARGS32_MARK);
		merge(f, len, pc + 1, &out);
		return 0;
	}
	case BPF_JMP: {
		if (BPF_OP(insn->code) == BPF_JA) {
			merge(f, len, pc + 1 + insn->k, &out);
			return 0;
		}
		struct flow t = out, e = out;
		if (out.a_is_nr && BPF_SRC(insn->code) == BPF_K)
			split(insn, &out.calls, &t.calls, &e.calls);
		merge(f, len, pc + 1 + insn->jt, &t);
		merge(f, len, pc + 1 + insn->jf, &e);
		return 0;
	}
	case BPF_RET:
		return 0;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		break; /* A is unchanged */
	default:
		out.a_is_nr = false;
		break;
	}
	merge(f, len, pc + 1, &out);
	return 0;
}

int args32_rewrite(struct how_program *prog)
{
	if (prog->len == 0)
		return 0;
	_cleanup_free_ struct flow *f = xcalloc(prog->len, sizeof(*f));
	f[0].reached = true;
	for (size_t i = 0; i < syscall_count; i++)
		if (syscall_native_nr(i) >= 0)
			syscall_set_add(&f[0].calls, i);
	for (size_t pc = 0; pc < prog->len; pc++) {
		if (!f[pc].reached)
			continue;
		int r = visit(&prog->insns[pc], f, prog->len, pc);
		if (r < 0)
			return r;
	}
	return 0;
}
