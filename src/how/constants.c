/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "how/constants.h"

#include <linux/memfd.h>
#include <sched.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/shm.h>
#include <sys/socket.h>

#include "util.h"

#ifndef AF_MCTP
#define AF_MCTP 45
#endif

#define F(n, a) {"AF_" #n, AF_##n, CONST_FAMILY, a}
#define C(n, a) {"CLONE_NEW" #n, CLONE_NEW##n, CONST_CLONE, a}

const struct named_const named_consts[] = {
	F(UNIX, "unix"), F(INET, "inet"), F(INET6, "inet6"), F(NETLINK, "netlink"),
	F(PACKET, "packet"), F(AX25, "ax25"), F(IPX, "ipx"), F(APPLETALK, "appletalk"),
	F(NETROM, "netrom"), F(BRIDGE, "bridge"), F(ATMPVC, "atmpvc"), F(X25, "x25"),
	F(ROSE, "rose"), F(DECnet, "decnet"), F(NETBEUI, "netbeui"), F(SECURITY, "security"),
	F(KEY, "key"), F(ECONET, "econet"), F(ATMSVC, "atmsvc"), F(RDS, "rds"), F(SNA, "sna"),
	F(IRDA, "irda"), F(PPPOX, "pppox"), F(WANPIPE, "wanpipe"), F(LLC, "llc"), F(IB, "ib"),
	F(MPLS, "mpls"), F(CAN, "can"), F(TIPC, "tipc"), F(BLUETOOTH, "bluetooth"),
	F(IUCV, "iucv"), F(RXRPC, "rxrpc"), F(ISDN, "isdn"), F(PHONET, "phonet"),
	F(IEEE802154, "ieee802154"), F(CAIF, "caif"), F(ALG, "alg"), F(NFC, "nfc"),
	F(VSOCK, "vsock"), F(KCM, "kcm"), F(QIPCRTR, "qipcrtr"), F(SMC, "smc"), F(XDP, "xdp"),
	F(MCTP, "mctp"),

	C(USER, "user"), C(NS, "mount"), C(PID, "pid"), C(NET, "net"), C(IPC, "ipc"),
	C(UTS, "uts"), C(CGROUP, "cgroup"), C(TIME, "time"),

	{"PROT_READ", PROT_READ, CONST_PROT, NULL},
	{"PROT_WRITE", PROT_WRITE, CONST_PROT, NULL},
	{"PROT_EXEC", PROT_EXEC, CONST_PROT, NULL},
	{"PROT_NONE", PROT_NONE, CONST_PROT, NULL},
	{"MAP_SHARED", MAP_SHARED, CONST_MAP, NULL},
	{"MAP_PRIVATE", MAP_PRIVATE, CONST_MAP, NULL},
	{"MAP_FIXED", MAP_FIXED, CONST_MAP, NULL},
	{"MAP_ANONYMOUS", MAP_ANONYMOUS, CONST_MAP, NULL},
	{"MFD_CLOEXEC", MFD_CLOEXEC, CONST_MFD, NULL},
	{"MFD_ALLOW_SEALING", MFD_ALLOW_SEALING, CONST_MFD, NULL},
	{"MFD_HUGETLB", MFD_HUGETLB, CONST_MFD, NULL},
	{"MFD_NOEXEC_SEAL", MFD_NOEXEC_SEAL, CONST_MFD, NULL},
	{"MFD_EXEC", MFD_EXEC, CONST_MFD, NULL},
	{"SHM_EXEC", SHM_EXEC, CONST_OTHER, NULL},
	{"PER_LINUX", PER_LINUX, CONST_OTHER, NULL},

	{"TIOCSTI", TIOCSTI, CONST_IOCTL, NULL},
	{"TIOCLINUX", TIOCLINUX, CONST_IOCTL, NULL},
	{"TIOCSCTTY", TIOCSCTTY, CONST_IOCTL, NULL},
	{"TIOCSETD", TIOCSETD, CONST_IOCTL, NULL},
	{"TIOCCONS", TIOCCONS, CONST_IOCTL, NULL},
	{"TIOCGWINSZ", TIOCGWINSZ, CONST_IOCTL, NULL},
	{"TIOCSWINSZ", TIOCSWINSZ, CONST_IOCTL, NULL},
	{"TCGETS", TCGETS, CONST_IOCTL, NULL},
	{"TCSETS", TCSETS, CONST_IOCTL, NULL},
	{"FIONREAD", FIONREAD, CONST_IOCTL, NULL},
	{"FIONBIO", FIONBIO, CONST_IOCTL, NULL},
	{"FIOCLEX", FIOCLEX, CONST_IOCTL, NULL},
	{"FIONCLEX", FIONCLEX, CONST_IOCTL, NULL},
};
const size_t named_const_count = ELEMENTSOF(named_consts);

const struct named_const *const_lookup(const char *name)
{
	for (size_t i = 0; i < named_const_count; i++)
		if (strcasecmp(named_consts[i].name, name) == 0)
			return &named_consts[i];
	return NULL;
}

const struct named_const *const_lookup_kind(const char *name, enum const_kind kind)
{
	for (size_t i = 0; i < named_const_count; i++)
		if (named_consts[i].kind == kind &&
		    (strcasecmp(named_consts[i].name, name) == 0 ||
		     (named_consts[i].alias && strcasecmp(named_consts[i].alias, name) == 0)))
			return &named_consts[i];
	return NULL;
}

const char *const_name(uint64_t value, enum const_kind kind)
{
	for (size_t i = 0; i < named_const_count; i++)
		if (named_consts[i].kind == kind && named_consts[i].value == value)
			return named_consts[i].name;
	return NULL;
}
