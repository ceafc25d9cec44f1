/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bpf-interp.h"

#include <linux/audit.h>
#include <stddef.h>
#include <string.h>

uint32_t bpf_run(const struct sock_filter *insns, unsigned len, const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, mem[BPF_MEMWORDS] = {0};
	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insns[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k + 4 > sizeof(*d) || f->k % 4)
				return BPF_BAD;
			memcpy(&A, (const char *)d + f->k, 4);
			break;
		case BPF_LD | BPF_IMM:
			A = f->k;
			break;
		case BPF_LDX | BPF_IMM:
			X = f->k;
			break;
		case BPF_LD | BPF_MEM:
			A = mem[f->k % BPF_MEMWORDS];
			break;
		case BPF_LDX | BPF_MEM:
			X = mem[f->k % BPF_MEMWORDS];
			break;
		case BPF_ST:
			mem[f->k % BPF_MEMWORDS] = A;
			break;
		case BPF_STX:
			mem[f->k % BPF_MEMWORDS] = X;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			A &= f->k;
			break;
		case BPF_ALU | BPF_OR | BPF_K:
			A |= f->k;
			break;
		case BPF_ALU | BPF_AND | BPF_X:
			A &= X;
			break;
		case BPF_MISC | BPF_TAX:
			X = A;
			break;
		case BPF_MISC | BPF_TXA:
			A = X;
			break;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += A == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += A > f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += A >= f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (A & f->k) ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JEQ | BPF_X:
			pc += A == X ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_X:
			pc += A > X ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_X:
			pc += A >= X ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		case BPF_RET | BPF_A:
			return A;
		default:
			return BPF_BAD;
		}
	}
	return BPF_BAD; /* fell off the end: the kernel's verifier refuses this */
}

uint32_t how_run(const struct how_program *prog, const struct seccomp_data *d)
{
	return bpf_run(prog->insns, prog->len, d);
}

struct seccomp_data native_call(int nr, uint64_t a0, uint64_t a1)
{
	struct seccomp_data d = {.nr = nr, .arch = AUDIT_ARCH_X86_64};
	d.args[0] = a0;
	d.args[1] = a1;
	return d;
}
