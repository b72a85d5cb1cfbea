/* web_http.h -- the gateway's HTTP side on libmicrohttpd: one thread per
 * connection (an /events stream blocks in the hub until there is something
 * to send), the routes of web_text.h, sessions and CSRF (web_session.h),
 * the pages and assets compiled in (web_assets.h), and the JSON endpoints
 * answered from the hub or by asking the daemon with the user's session.
 * See docs/web.md. */
#ifndef JUNHENG_WEB_HTTP_H
#define JUNHENG_WEB_HTTP_H

#include <stddef.h>

#include "web_config.h"
#include "web_hub.h"

typedef struct web_http web_http;

/* Starts serving cfg->listen (cfg and hub borrowed: they must outlive the
 * server). NULL with the reason in err. */
web_http *web_http_start(const web_config *cfg, web_hub *hub, char *err, size_t errlen);
/* Stops serving (close the hub first, so the streams end) and frees. */
void web_http_stop(web_http **p);

#endif
