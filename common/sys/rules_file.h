/* rules_file.h -- reading a rules file from disk (the parser is
 * common/rules_config.h, which takes text). System room (common/sys). */
#ifndef JUNHENG_RULES_FILE_H
#define JUNHENG_RULES_FILE_H

#include <stddef.h>

#include "rules_config.h"

/* Reads and parses the rules file at path (rules_config_parse on its text).
 * Returns RULES_OK, or an error code with "PATH: reason" in err (may be
 * NULL): RULES_EIO when the file cannot be read, RULES_ESYNTAX when it is not
 * text, RULES_ENOMEM, or the parser's code. */
int rules_config_load(rules_config *self, const char *path, char *err, size_t errsize);

#endif
