/* web_assets.h -- the pages, styles and scripts of client/web/assets,
 * compiled into the binary (embed_assets.cmake writes web_assets.c at build
 * time): nothing is fetched from elsewhere, no CDN. */
#ifndef JUNHENG_WEB_ASSETS_H
#define JUNHENG_WEB_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *name;          /* file name: "city.html", "app.css" */
    const char *type;          /* Content-Type */
    const unsigned char *data; /* NUL-terminated */
    size_t len;
} web_asset;

extern const web_asset WEB_ASSETS[];
extern const size_t WEB_ASSETS_COUNT;

/* The asset of name, or NULL. */
const web_asset *web_asset_find(const char *name);

#endif
