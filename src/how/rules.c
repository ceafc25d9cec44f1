/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/rules.h"

#include <ctype.h>
#include <stdio.h>

#include "how/constants.h"
#include "how/action.h"

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int parse_number(const char *s, size_t len, uint64_t *out)
{
	char buf[32];
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 0);
	if (errno || *end || buf[0] == '-')
		return -EINVAL;
	*out = v;
	return 0;
}

int rule_parse_value(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;
	for (;;) {
		p = skip_space(p);
		size_t len = strcspn(p, "| \t");
		if (len == 0)
			return -EINVAL;
		uint64_t part;
		if (isdigit((unsigned char)*p)) {
			if (parse_number(p, len, &part) < 0)
				return -EINVAL;
		} else {
			char name[64];
			if (len >= sizeof(name))
				return -EINVAL;
			memcpy(name, p, len);
			name[len] = '\0';
			const struct named_const *c = const_lookup(name);
			if (!c)
				return -ENOENT;
			part = c->value;
		}
		v |= part;
		p = skip_space(p + len);
		if (*p == '\0')
			break;
		if (*p != '|')
			return -EINVAL;
		p++;
	}
	*out = v;
	return 0;
}

static const struct {
	const char *text;
	enum arg_op op;
} ops[] = {
	{"==", ARG_EQ}, {"!=", ARG_NE}, {"<=", ARG_LE}, {">=", ARG_GE}, {"<", ARG_LT}, {">", ARG_GT},
};

/* "argN OP VALUE" or "argN & MASK == VALUE", cond not NUL-terminated. */
static int parse_cond(const char *cond, size_t len, struct arg_cmp *out, const char **why)
{
	_cleanup_free_ char *c = xstrndup(cond, len);
	const char *p = skip_space(c);
	if (strncmp(p, "arg", 3) != 0 || p[3] < '0' || p[3] > '5') {
		*why = "a condition starts with arg0 ... arg5";
		return -EINVAL;
	}
	out->arg = (unsigned)(p[3] - '0');
	p = skip_space(p + 4);
	out->mask = UINT64_MAX;
	if (*p == '&') {
		p++;
		const char *eq = strstr(p, "==");
		if (!eq) {
			*why = "a masked condition reads argN & MASK == VALUE";
			return -EINVAL;
		}
		_cleanup_free_ char *mask = xstrndup(p, (size_t)(eq - p));
		if (rule_parse_value(mask, &out->mask) < 0) {
			*why = "unknown name or malformed number in the mask";
			return -EINVAL;
		}
		out->op = ARG_MASKED_EQ;
		p = eq + 2;
	} else {
		size_t k;
		for (k = 0; k < ELEMENTSOF(ops); k++)
			if (strncmp(p, ops[k].text, strlen(ops[k].text)) == 0)
				break;
		if (k == ELEMENTSOF(ops)) {
			*why = "expected one of == != < <= > >= or & MASK ==";
			return -EINVAL;
		}
		out->op = ops[k].op;
		p += strlen(ops[k].text);
	}
	_cleanup_free_ char *value = xstrdup(p);
	size_t n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		value[--n] = '\0';
	int r = rule_parse_value(value, &out->value);
	if (r < 0) {
		*why = r == -ENOENT ? "unknown constant name" : "malformed value";
		return -EINVAL;
	}
	return 0;
}

/* The kernel reads only the low bits of a narrow argument, and they are all
 * glovebox compares (see args32.h): a wider value in a rule is a mistake.
 * Returns why the condition does not fit its argument, or NULL. */
static const char *misfit(int syscall, const struct arg_cmp *c)
{
	unsigned bits = syscall_arg_bits((size_t)syscall, c->arg);
	if (bits == 64)
		return NULL;
	uint64_t max = bits == 16 ? 0xffff : UINT32_MAX;
	if (bits == 16 && c->op != ARG_EQ && c->op != ARG_MASKED_EQ)
		return "the argument is a 16-bit file mode: compare it with == or & MASK ==";
	if (c->value > max || (c->op == ARG_MASKED_EQ && c->mask > max))
		return bits == 16 ? "the argument is a 16-bit file mode: a value or mask above "
				    "0xffff cannot match"
				  : "the argument is 32 bits wide (the kernel reads an int): a "
				    "value or mask above 0xffffffff cannot match";
	return NULL;
}

int rule_parse(const char *text, struct arg_rule *out, const char **why)
{
	const char *open = strchr(text, '(');
	const char *close = strrchr(text, ')');
	if (!open || !close || close < open) {
		*why = "expected CALL(argN OP VALUE, ...)[:ACTION]";
		return -EINVAL;
	}
	_cleanup_free_ char *name = xstrndup(text, (size_t)(open - text));
	size_t nlen = strlen(name);
	while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
		name[--nlen] = '\0';
	const char *n = skip_space(name);
	out->syscall = syscall_lookup(n);
	if (out->syscall < 0) {
		*why = "unknown system call";
		return -EINVAL;
	}
	out->n_cmps = 0;
	unsigned seen = 0;
	const char *p = open + 1;
	while (p < close) {
		const char *comma = memchr(p, ',', (size_t)(close - p));
		const char *end = comma ? comma : close;
		if (out->n_cmps == ARG_CMP_MAX) {
			*why = "too many conditions";
			return -EINVAL;
		}
		struct arg_cmp *c = &out->cmps[out->n_cmps];
		if (parse_cond(p, (size_t)(end - p), c, why) < 0)
			return -EINVAL;
		const char *wrong_width = misfit(out->syscall, c);
		if (wrong_width) {
			*why = wrong_width;
			return -EINVAL;
		}
		if (seen & (1u << c->arg)) {
			*why = "each argument may be compared once per rule";
			return -EINVAL;
		}
		seen |= 1u << c->arg;
		out->n_cmps++;
		p = end + 1;
	}
	if (out->n_cmps == 0) {
		*why = "a rule needs at least one condition (to refuse a call outright, use deny)";
		return -EINVAL;
	}
	out->action = (struct sc_action){.kind = SC_ERRNO, .errnum = EPERM};
	const char *rest = skip_space(close + 1);
	if (*rest == ':') {
		_cleanup_free_ char *act = xstrdup(skip_space(rest + 1));
		size_t alen = strlen(act);
		while (alen > 0 && (act[alen - 1] == ' ' || act[alen - 1] == '\t'))
			act[--alen] = '\0';
		char *w = act;
		if (parse_sc_action(&w, 1, &out->action) < 0 || out->action.kind == SC_ALLOW) {
			*why = "the action is kill, log, or an errno name or number";
			return -EINVAL;
		}
	} else if (*rest) {
		*why = "unexpected text after ')'";
		return -EINVAL;
	}
	return 0;
}

static int format_value(uint64_t v, char *buf, size_t size)
{
	return snprintf(buf, size, v > 9 ? "%#llx" : "%llu", (unsigned long long)v);
}

void rule_format(const struct arg_rule *r, char *buf, size_t size)
{
	static const char *const optext[] = {[ARG_EQ] = "==", [ARG_NE] = "!=", [ARG_LT] = "<",
					      [ARG_LE] = "<=", [ARG_GT] = ">", [ARG_GE] = ">="};
	size_t w = (size_t)snprintf(buf, size, "%s(", syscall_table[r->syscall].name);
	for (unsigned i = 0; i < r->n_cmps && w < size; i++) {
		const struct arg_cmp *c = &r->cmps[i];
		char v[32];
		format_value(c->value, v, sizeof(v));
		if (c->op == ARG_MASKED_EQ) {
			char m[32];
			format_value(c->mask, m, sizeof(m));
			w += (size_t)snprintf(buf + w, size - w, "%sarg%u & %s == %s", i ? ", " : "",
					      c->arg, m, v);
		} else {
			w += (size_t)snprintf(buf + w, size - w, "%sarg%u %s %s", i ? ", " : "", c->arg,
					      optext[c->op], v);
		}
	}
	if (w < size) {
		char a[64];
		const char *act = r->action.kind == SC_ERRNO ? strerrorname_np(r->action.errnum)
							     : sc_action_format(&r->action, a, sizeof(a));
		snprintf(buf + w, size - w, "):%s", act ? act : "EPERM");
	}
}
