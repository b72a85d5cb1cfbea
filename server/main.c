/* main.c -- junhengd: command line, configuration, signals, and the run. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "i18n_init.h"
#include "log.h"
#include "metrics.h"
#include "server.h"
#include "service_notify.h"

static volatile sig_atomic_t stop_flag = 0;
static volatile sig_atomic_t reload_flag = 0;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

/* SIGHUP: the loop reloads (server_reload) at its next turn. */
static void on_reload_signal(int sig)
{
    (void)sig;
    reload_flag = 1;
}

static void usage(FILE *out)
{
    fputs("Usage: junhengd [CONFIG_FILE] [--KEY VALUE ...] [--migrate-only] [--check-config]\n"
          "\n"
          "junheng's daemon: takes schools' submissions over ZeroMQ, stores them in\n"
          "PostgreSQL, acknowledges each one only after its transaction has committed,\n"
          "and keeps every county's status (义务教育优质均衡发展) up to date.\n"
          "\n"
          "Every key of the config file (see deploy/junhengd.conf, which documents each\n"
          "one) can also be given on the command line as --KEY VALUE; the command line\n"
          "wins. Unknown keys are an error.\n"
          "\n"
          "Options:\n"
          "  --migrate-only   apply pending migrations/NNN_*.sql and exit\n"
          "  --check-config   print the effective configuration and exit\n"
          "  --help           this text\n"
          "  --version        print the version\n"
          "\n"
          "Every socket is CurveZMQ: the daemon's keypair is secret_key_file (make it with\n"
          "`junheng keygen NAME`), client keys are checked by its ZAP handler against the\n"
          "key registry, the first admin keys come from admin_public_keys (docs/security.md).\n"
          "\n"
          "Signals: SIGTERM or SIGINT stops taking new work, commits and acknowledges\n"
          "the group in flight, and exits 0. SIGHUP reopens log_file (after logrotate)\n"
          "and reloads the key registry from the database and admin_public_keys from\n"
          "the config, keeping every connection open.\n"
          "\n"
          "Under systemd (Type=notify) it reports READY=1 once its state is loaded and\n"
          "its sockets bound, pings the watchdog (WatchdogSec) and STOPPING=1.\n"
          "\n"
          "Default migrations_dir and rules folder: PREFIX/share/junheng/migrations and\n"
          "PREFIX/share/junheng/rules of the installed program (PREFIX is the folder\n"
          "above its bin/); run from the build tree, the source tree's.\n"
          "\n"
          "High availability: only the daemon holding a PostgreSQL advisory lock serves;\n"
          "a second junhengd on the same database waits as a standby (sockets not bound)\n"
          "and takes over within standby_poll_ms of the active one's end. A daemon that\n"
          "finds the lock taken by another after losing its database session exits 75\n"
          "(restart it: it comes back as a standby). docs/operations.md, High availability.\n"
          "\n"
          "Example:\n"
          "  junhengd deploy/junhengd.conf --database 'host=/tmp/pg dbname=junheng' --log_level debug\n",
          out);
}

/* --migrate-only: applies pending migrations and returns the exit status. */
static int run_migrations(const config *cfg)
{
    store *db = store_new(cfg->database, cfg->statement_timeout_ms);
    int applied = 0, rc = 1;
    if (!db)
        log_error("out of memory");
    else if (!store_is_up(db))
        log_error("database: %s", store_last_error(db));
    else if (store_migrate(db, cfg->migrations_dir, &applied) != STORE_OK)
        log_error("migrations: %s", store_last_error(db));
    else {
        log_info("%d migration%s applied", applied, applied == 1 ? "" : "s");
        rc = 0;
    }
    store_destroy(&db);
    return rc;
}

int main(int argc, char **argv)
{
    i18n_init(); /* the language of answers to requests that name none */
    config cfg;
    config_defaults(&cfg);
    char err[1024];
    config_actions act;
    if (config_read_args(&cfg, argc, argv, &act, err, sizeof err) != 0) {
        fprintf(stderr, "junhengd: %s\n", err);
        return 2;
    }
    if (act.help) {
        usage(stdout);
        return 0;
    }
    if (act.version) {
        puts("junhengd 0.1.0");
        return 0;
    }
    struct sockaddr_storage metrics_addr;
    if (config_check(&cfg, err, sizeof err) != 0 ||
        (cfg.metrics_listen[0] && metrics_parse_listen(cfg.metrics_listen, &metrics_addr, err, sizeof err) != 0)) {
        fprintf(stderr, "junhengd: %s\n", err);
        return 2;
    }
    log_set_level((log_level)cfg.log_level);
    if (!act.check_only && cfg.log_file[0] && log_to_file(cfg.log_file) != 0) {
        fprintf(stderr, "junhengd: log_file %s: %s\n", cfg.log_file, strerror(errno));
        return 1;
    }
    if (act.check_only) {
        static char buf[8192];
        config_describe(&cfg, buf, sizeof buf);
        fputs(buf, stdout);
        return 0;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_reload_signal;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (act.migrate_only)
        return run_migrations(&cfg);

    server srv;
    int rc = 1;
    service_notify_status("starting: migrating, loading the registry and revisions");
    int started = server_start(&srv, &cfg, &stop_flag);
    if (started == 0) {
        srv.reload_requested = &reload_flag;
        srv.argc = argc;
        srv.argv = argv;
        log_info("junhengd ready");
        char status[160];
        snprintf(status, sizeof status, "ready: %zu counties, %zu schools", registry_county_count(srv.reg),
                 registry_school_count(srv.reg));
        service_notify_ready(status);
        rc = server_run(&srv) == 0 ? 0 : srv.stepped_down ? LEASE_EXIT_STEPPED_DOWN : 1;
    } else if (started == 1) {
        log_info("stopped while standing by");
        rc = 0;
    }
    service_notify_stopping(rc == 0 ? "stopped" : "stopping after an error");
    server_stop(&srv);
    return rc;
}
