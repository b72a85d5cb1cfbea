/* main.c -- junhengd: command line, configuration, signals, and the run. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "metrics.h"
#include "server.h"

static volatile sig_atomic_t stop_flag = 0;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
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
          "the group in flight, and exits 0.\n"
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
    signal(SIGPIPE, SIG_IGN);

    if (act.migrate_only)
        return run_migrations(&cfg);

    server srv;
    int rc = 1;
    if (server_start(&srv, &cfg, &stop_flag) == 0) {
        log_info("junhengd ready");
        rc = server_run(&srv) == 0 ? 0 : 1;
    }
    server_stop(&srv);
    return rc;
}
