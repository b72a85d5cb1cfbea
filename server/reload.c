/* reload.c -- junhengd's SIGHUP: the log file reopened, admin_public_keys
 * read again from the config (file and command line, as at start), and the
 * key registry reloaded from the database on the admin connection without
 * waiting (admin_reload_keys). Connections stay open. See server.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "service_notify.h"

/* admin_public_keys as the config says now, into self->cfg when it can be
 * read and every item is a key or a readable key file (else the old list is
 * kept and why is logged). */
static void reread_admin_keys(server *self)
{
    if (!self->argv)
        return;
    static config fresh; /* large: off the stack */
    config_actions act;
    char err[1024];
    config_defaults(&fresh);
    if (config_read_args(&fresh, self->argc, self->argv, &act, err, sizeof err) != 0) {
        log_error("SIGHUP: config not read again (%s); admin_public_keys kept", err);
        return;
    }
    auth *check = auth_new();
    int admins = check ? auth_add_config_admins(check, fresh.admin_public_keys, err, sizeof err) : -1;
    auth_destroy(&check);
    if (admins < 0) {
        log_error("SIGHUP: %s; admin_public_keys kept", check ? err : "out of memory");
        return;
    }
    if (strcmp(fresh.admin_public_keys, self->cfg.admin_public_keys) != 0)
        log_info("SIGHUP: admin_public_keys changed (%d key%s)", admins, admins == 1 ? "" : "s");
    snprintf(self->cfg.admin_public_keys, sizeof self->cfg.admin_public_keys, "%s", fresh.admin_public_keys);
}

void server_reload(server *self)
{
    int reopened = log_reopen();
    if (reopened > 0)
        log_info("SIGHUP: log file %s reopened", self->cfg.log_file);
    else if (reopened < 0)
        log_error("SIGHUP: log file %s not reopened: %s (still writing the old one)", self->cfg.log_file,
                  strerror(errno));
    reread_admin_keys(self);
    admin_reload_keys(self->adm);
    log_info("SIGHUP: key registry reload queued on the admin connection");
    service_notify_status("ready; SIGHUP: log reopened, keys reloading");
}
