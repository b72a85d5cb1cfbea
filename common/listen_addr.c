/* listen_addr.c -- "HOST:PORT" for an HTTP listener. See listen_addr.h. */
#include "listen_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Puts host (numeric IPv4, or [IPv6]) and port into *addr. Returns 0 or -1. */
static int numeric_host(char *host, size_t hlen, long port, struct sockaddr_storage *addr)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        return 0;
    }
    if (hlen > 2 && host[0] == '[' && host[hlen - 1] == ']') {
        host[hlen - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons((uint16_t)port);
            return 0;
        }
    }
    return -1;
}

int listen_addr_parse(const char *key, const char *listen, struct sockaddr_storage *addr, char *err, size_t errlen)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    size_t hlen = colon ? (size_t)(colon - listen) : 0;
    if (!colon || hlen == 0 || hlen >= sizeof host) {
        snprintf(err, errlen, "%s: '%.100s' is not HOST:PORT (e.g. 127.0.0.1:9464 or [::1]:9464)", key, listen);
        return -1;
    }
    memcpy(host, listen, hlen);
    host[hlen] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || port < 1 || port > 65535) {
        snprintf(err, errlen, "%s: '%.100s': the port must be 1..65535", key, listen);
        return -1;
    }
    if (numeric_host(host, hlen, port, addr) == 0)
        return 0;
    snprintf(err, errlen,
             "%s: '%.100s': the host must be a numeric address (127.0.0.1, [::1], or the one address to serve on)",
             key, listen);
    return -1;
}
