/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The apply functions the option table (options.c) names that live in
 * their own files. Internal to src/policy/. */
#pragma once

#include "policy/options.h"

int apply_bind(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d);
int apply_dest_op(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);
int apply_file(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d);
int apply_chmod(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                const struct origin *o, struct diag *d);
int apply_overlay(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);
/* overlay.c */
int apply_overlay_src(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                      const struct origin *o, struct diag *d);
int apply_layered_overlay(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                          const struct origin *o, struct diag *d);
int apply_symlink(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);
int apply_mirror(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_remove(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_chdir(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                const struct origin *o, struct diag *d);
int apply_hostname(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                   const struct origin *o, struct diag *d);
int apply_tcp_ports(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                    const struct origin *o, struct diag *d);
int apply_forward(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);

/* A destination inside the sandbox: absolute, no "..", normalised ("//"
 * and "/./" collapsed, no trailing slash); *out to be freed. The bwrap
 * front end checks its destinations the same way. 0 or -1 (reported). */
int normalize_dest(const char *in, char **out, struct diag *d, const struct origin *o);
int apply_timeout(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);
int apply_tmpfs_budget(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                       const struct origin *o, struct diag *d);
int apply_processes(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                    const struct origin *o, struct diag *d);
int apply_rlimit(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_ucount(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_memory(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_pids(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d);
int apply_cpu_quota(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                    const struct origin *o, struct diag *d);
int apply_cgroup(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                 const struct origin *o, struct diag *d);
int apply_cgroup_fallback(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                          const struct origin *o, struct diag *d);
/* options-how.c */
int apply_allow(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                const struct origin *o, struct diag *d);
int apply_deny(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d);
int apply_default_action(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                         const struct origin *o, struct diag *d);
int apply_nested_namespaces(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                            const struct origin *o, struct diag *d);
int apply_scope(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                const struct origin *o, struct diag *d);
int apply_families(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                   const struct origin *o, struct diag *d);
int apply_memfd_exec(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                     const struct origin *o, struct diag *d);
int apply_ioctl_deny(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                     const struct origin *o, struct diag *d);
int apply_rule(struct policy *p, const struct gb_option *opt, char **a, size_t n,
               const struct origin *o, struct diag *d);
/* options-env.c */
int apply_env_keep(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                   const struct origin *o, struct diag *d);
int apply_env_set(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                  const struct origin *o, struct diag *d);
int apply_env_unset(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                    const struct origin *o, struct diag *d);
int apply_dbus_rule(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                    const struct origin *o, struct diag *d);
enum { DBUS_SWITCH_PORTALS, DBUS_SWITCH_SYSTEM };
int apply_dbus_switch(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                      const struct origin *o, struct diag *d);
enum { APP_META_DESKTOP_ID, APP_META_BINARY };
int apply_app_meta(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                   const struct origin *o, struct diag *d);
int apply_grant(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                const struct origin *o, struct diag *d);
int apply_desktop_dirs(struct policy *p, const struct gb_option *opt, char **a, size_t n,
                       const struct origin *o, struct diag *d);
