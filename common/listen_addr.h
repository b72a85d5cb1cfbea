/* listen_addr.h -- "HOST:PORT" as an HTTP listener takes it (the daemon's
 * metrics_listen, the web gateway's listen): a numeric IPv4 address or a
 * bracketed IPv6 one, and a port 1..65535. No name lookup: a listener's
 * address is the admin's explicit choice. Pure: no I/O. */
#ifndef JUNHENG_LISTEN_ADDR_H
#define JUNHENG_LISTEN_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* Reads listen into *addr. Returns 0, or -1 with err saying why, named by
 * key (the config key the value came from, e.g. "metrics_listen"). */
int listen_addr_parse(const char *key, const char *listen, struct sockaddr_storage *addr, char *err, size_t errlen);

#endif
