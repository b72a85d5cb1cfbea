/* rules_file.c -- the rules file read from disk. See rules_file.h. */
#include "rules_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"

#define RULES_FILE_MAX (1u << 24)

int rules_config_load(rules_config *self, const char *path, char *err, size_t errsize)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = RULES_OK;
    char inner[256] = "";
    if (file_read_all(path, RULES_FILE_MAX, 0, &buf, &len, NULL) != 0) {
        rc = errno == ENOMEM || errno == EFBIG ? RULES_ENOMEM : RULES_EIO;
        snprintf(inner, sizeof inner, "%s", rc == RULES_ENOMEM ? "too large or out of memory" : strerror(errno));
    } else if (memchr(buf, '\0', len)) {
        rc = RULES_ESYNTAX;
        snprintf(inner, sizeof inner, "not a text file");
    } else {
        rc = rules_config_parse(self, buf, inner, sizeof inner);
    }
    free(buf);
    if (err && errsize) {
        if (rc == RULES_OK)
            err[0] = '\0';
        else
            snprintf(err, errsize, "%s: %s", path, inner);
    }
    return rc;
}
