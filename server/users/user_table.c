/* user_table.c -- the web users in memory. See users.h. */
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"
#include "users.h"

struct user_table {
    hashmap *by_name;             /* name -> user_record (owned) */
};

user_table *user_table_new(void)
{
    user_table *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->by_name = hashmap_new(free);
    if (!self->by_name) {
        free(self);
        return NULL;
    }
    return self;
}

void user_table_destroy(user_table **p)
{
    user_table *self = *p;
    if (!self)
        return;
    hashmap_destroy(&self->by_name);
    free(self);
    *p = NULL;
}

int user_table_put(user_table *self, const user_record *r)
{
    user_record *have = hashmap_get(self->by_name, r->name);
    if (have) {
        *have = *r;
        return 0;
    }
    user_record *copy = malloc(sizeof *copy);
    if (!copy)
        return -1;
    *copy = *r;
    if (hashmap_put(self->by_name, copy->name, copy) != 0) {
        free(copy);
        return -1;
    }
    return 0;
}

user_record *user_table_get(const user_table *self, const char *name)
{
    return name && *name ? hashmap_get(self->by_name, name) : NULL;
}

size_t user_table_count(const user_table *self)
{
    return hashmap_size(self->by_name);
}

bool user_name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > USER_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.' || c == '@' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}
