/* cmd_keygen.c -- `junheng keygen NAME`: a new CURVE keypair in NAME.key
 * (public) and NAME.key_secret (secret, mode 0600). Talks to no daemon. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#include "client.h"
#include "i18n.h"
#include "keyfile_io.h"

static void keygen_usage(FILE *out)
{
    fputs(_("Usage: junheng keygen NAME\n"
          "\n"
          "Makes a new CurveZMQ keypair (zmq_curve_keypair) and writes two files:\n"
          "  NAME.key          the public key: give it to the junheng administrator, who\n"
          "                    binds it to your school, scope or role with\n"
          "                    `junheng admin set-key ROLE SUBJECT NAME.key`\n"
          "  NAME.key_secret   the secret key (mode 0600): it never leaves this computer;\n"
          "                    junheng reads it with --key NAME.key_secret\n"
          "Both are ZPL text (czmq's zcert format), keys in Z85; an existing file is never\n"
          "overwritten. The daemon's own keypair is made the same way (its secret_key_file).\n"
          "\n"
          "Default locations the client reads when --key / --server-key are not given:\n"
          "  $XDG_CONFIG_HOME/junheng/client.key_secret   (else ~/.config/junheng/...)\n"
          "  $XDG_CONFIG_HOME/junheng/server.key          the daemon's public key\n"
          "\n"
          "Examples:\n"
          "  junheng keygen ~/.config/junheng/client\n"
          "  junheng keygen /etc/junheng/junhengd        (on the daemon's host)\n"),
          out);
}

int cmd_keygen(client_options *opts, int argc, char **argv)
{
    (void)opts;
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        keygen_usage(stdout);
        return EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '\0' || argv[1][0] == '-') {
        keygen_usage(stderr);
        return EXIT_USAGE;
    }
    const char *base = argv[1];
    char dir[KEY_PATH_MAX], name[KEY_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", base);
    snprintf(name, sizeof name, "%s", base);
    const char *parent = dirname(dir);
    struct stat st;
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, _("junheng keygen: folder %s does not exist\n"), parent);
        return EXIT_USAGE;
    }
    keypair kp;
    memset(&kp, 0, sizeof kp);
    if (zmq_curve_keypair(kp.public_key, kp.secret_key) != 0) {
        fprintf(stderr, _("junheng keygen: %s (libzmq without CURVE support?)\n"), zmq_strerror(zmq_errno()));
        return EXIT_USAGE;
    }
    snprintf(kp.name, sizeof kp.name, "%s", basename(name));
    char err[KEY_PATH_MAX + 128];
    int rc = keyfile_write_pair(base, &kp, err, sizeof err);
    key_wipe(kp.secret_key, sizeof kp.secret_key);
    if (rc != 0) {
        fprintf(stderr, "junheng keygen: %s\n", err);
        return EXIT_USAGE;
    }
    printf(_("public key %s\n"), kp.public_key);
    printf(_("wrote %s.key (public, give it to the administrator) and %s.key_secret (secret, mode 0600)\n"), base,
           base);
    return EXIT_OK;
}
