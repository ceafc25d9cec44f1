/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The appliers of [dbus]: the rules of the session bus's filter
 * (xdg-dbus-proxy), the portals, and the system bus. */
#include "policy/appliers.h"

#include <string.h>

/* A well-known bus name as the filter takes it: dot-separated elements of
 * letters, digits, _ and - (not starting with a digit), optionally ending
 * in .* for the names below it. */
static bool bus_name_valid(const char *s, size_t n)
{
	if (n >= 2 && s[n - 2] == '.' && s[n - 1] == '*')
		n -= 2;
	if (n == 0 || n > 255)
		return false;
	size_t elements = 1;
	bool start = true;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '.') {
			if (start)
				return false;
			elements++;
			start = true;
			continue;
		}
		bool digit = c >= '0' && c <= '9';
		if (!digit && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && c != '_' &&
		    c != '-')
			return false;
		if (start && digit)
			return false;
		start = false;
	}
	return !start && elements >= 2;
}

/* call and broadcast: NAME=RULE, RULE being [METHOD][@PATH] as
 * xdg-dbus-proxy reads it (either part may end in *). */
static bool rule_valid(const char *rule)
{
	if (!*rule)
		return false;
	for (const char *c = rule; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '=' || *c == ',')
			return false;
	const char *at = strchr(rule, '@');
	return !at || at[1] == '/';
}

int apply_dbus_rule(struct policy *p, const struct gb_option *opt, char **a, size_t n,
		    const struct origin *o, struct diag *d)
{
	enum dbus_rule_kind kind = (enum dbus_rule_kind)opt->data;
	bool with_rule = kind == DBUS_CALL || kind == DBUS_BROADCAST;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(a[i], '=');
		size_t len = with_rule && eq ? (size_t)(eq - a[i]) : strlen(a[i]);
		if (!bus_name_valid(a[i], len) || (with_rule && (!eq || !rule_valid(eq + 1))))
			return diag_error(d, o, "%s: expected %s", a[i],
					  with_rule ? "NAME=[METHOD][@PATH] (NAME: a bus name, or "
						      "NAME.* for the names below it)"
						    : "a bus name (org.example.App), or NAME.* for "
						      "the names below it");
		*APPEND(p->dbus_rules, p->n_dbus_rules) =
			(struct dbus_rule){.kind = kind, .value = xstrdup(a[i]), .origin = *o};
	}
	return 0;
}

/* portals and system-bus: opt->data says which. */
int apply_dbus_switch(struct policy *p, const struct gb_option *opt, char **a,
		      size_t n _unused_, const struct origin *o, struct diag *d)
{
	bool v;
	if (parse_bool(a[0], &v) < 0)
		return diag_error(d, o, "%s: expected yes or no", a[0]);
	bool system = opt->data == DBUS_SWITCH_SYSTEM;
	*(system ? &p->dbus_system : &p->dbus_portals) = v;
	*(system ? &p->dbus_system_s : &p->dbus_portals_s) = (struct setting){true, *o};
	return 0;
}

/* The first [dbus] line that asked for the filter, for the mounts it adds. */
static const struct origin *filter_origin(const struct policy *p)
{
	return p->n_dbus_rules ? &p->dbus_rules[0].origin : &p->dbus_portals_s.origin;
}

int policy_plan_dbus(struct policy *p, const char *runtime_dir, const char *proxy_dir,
		     struct diag *d)
{
	if (p->dbus_system) {
		static const char system_bus[] = "/run/dbus/system_bus_socket";
		struct mount_op *m = policy_add_mount(p, MOUNT_RO_BIND, &p->dbus_system_s.origin);
		m->flags = MOUNT_F_TRY;
		m->src = xstrdup(system_bus);
		m->dest = xstrdup(system_bus);
	}
	if (!policy_dbus_filtered(p))
		return 0;
	const struct origin *o = filter_origin(p);
	/* Refused rather than half-working: nobody could not reach a socket
	 * that the proxy, root's, makes, nor would root's bus let it in. */
	if (p->host_user == HOST_USER_NOBODY)
		return diag_error(d, &p->host_user_s.origin,
				  "host-user = nobody cannot use the session bus that [dbus] grants");
	_cleanup_free_ char *bus = xasprintf("%s/bus", runtime_dir);
	char *dest;
	if (normalize_dest(bus, &dest, d, o) < 0)
		return -1;
	struct mount_op *m = policy_add_mount(p, MOUNT_RO_BIND, o);
	m->src = xasprintf("%s/bus", proxy_dir);
	m->dest = dest;
	struct env_op *e = policy_add_env(p, ENV_SET, o);
	e->name = xstrdup("DBUS_SESSION_BUS_ADDRESS");
	e->value = xasprintf("unix:path=%s", dest);
	free(p->dbus_proxy_dir);
	p->dbus_proxy_dir = xstrdup(proxy_dir);
	return 0;
}
