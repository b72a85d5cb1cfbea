/* cmd_users.c -- web users from the command line: `junheng admin
 * add-user|reset-password|lock-user|unlock-user|list-users` (admin
 * requests) and `junheng session login|check|logout` (what the web
 * gateway sends for a browser; for administrators and tests). Passwords
 * are read from stdin (--password-stdin), asked on the terminal without
 * echo (--prompt), or generated and printed once; they travel in the
 * request's file field, never as arguments. docs/security.md. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <termios.h>
#include <unistd.h>

#include "client.h"
#include "i18n.h"
#include "wire.h"

#define PASSWORD_MAX 256
#define PASSWORD_GENERATED_LEN 16

/* Sends one packed request to endpoint; prints a refusal or no answer.
 * Returns the OK reply (caller frees) or NULL with *code set. */
static Junheng__Reply *users_call(const char *what, const char *endpoint, uint8_t *msg, size_t len,
                                  const uint8_t *rid, const transport_options *t, int *code)
{
    Junheng__Reply *reply = client_request_one(endpoint, msg, len, rid, t);
    free(msg);
    if (!reply || reply->status == JUNHENG__REPLY_STATUS__RETRY_LATER) {
        fprintf(stderr, _("junheng %s: no answer from %s%s%s\n"), what, endpoint, reply && reply->n_errors ? ": " : "",
                reply && reply->n_errors ? reply->errors[0]->reason : "");
        if (reply)
            junheng__reply__free_unpacked(reply, NULL);
        *code = EXIT_UNREACHABLE;
        return NULL;
    }
    if (reply->status != JUNHENG__REPLY_STATUS__OK) {
        fprintf(stderr, "junheng %s: %s\n", what, wire_reply_status_name(reply->status));
        for (size_t i = 0; i < reply->n_errors; i++)
            fprintf(stderr, "  %s: %s\n", reply->errors[i]->field ? reply->errors[i]->field : "",
                    reply->errors[i]->reason ? reply->errors[i]->reason : "");
        junheng__reply__free_unpacked(reply, NULL);
        *code = EXIT_REFUSED;
        return NULL;
    }
    *code = EXIT_OK;
    return reply;
}

/* Reads one line of at most PASSWORD_MAX bytes from f into out (the line
 * end cut). Returns 0, or -1 when nothing was read. */
static int read_line(FILE *f, char out[PASSWORD_MAX + 2])
{
    if (!fgets(out, PASSWORD_MAX + 2, f))
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

/* Asks for the password twice on the terminal, without echo. 0 or -1. */
static int prompt_password(char out[PASSWORD_MAX + 2])
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty) {
        fprintf(stderr, _("junheng: --prompt needs a terminal (use --password-stdin)\n"));
        return -1;
    }
    struct termios was, quiet;
    int fd = fileno(tty);
    bool echo_off = tcgetattr(fd, &was) == 0;
    quiet = was;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    if (echo_off)
        tcsetattr(fd, TCSAFLUSH, &quiet);
    char again[PASSWORD_MAX + 2];
    fputs(_("Password: "), tty);
    fflush(tty);
    int rc = read_line(tty, out);
    fputs(_("\nAgain: "), tty);
    fflush(tty);
    rc |= read_line(tty, again);
    fputs("\n", tty);
    if (echo_off)
        tcsetattr(fd, TCSAFLUSH, &was);
    fclose(tty);
    if (rc == 0 && strcmp(out, again) != 0) {
        fprintf(stderr, _("junheng: the passwords differ\n"));
        rc = -1;
    }
    explicit_bzero(again, sizeof again);
    return rc;
}

/* A random password of PASSWORD_GENERATED_LEN characters with no look-alikes. */
static int generate_password(char out[PASSWORD_MAX + 2])
{
    static const char ALPHABET[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char raw[PASSWORD_GENERATED_LEN];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    for (size_t i = 0; i < sizeof raw; i++)
        out[i] = ALPHABET[raw[i] % (sizeof ALPHABET - 1)];
    out[sizeof raw] = '\0';
    explicit_bzero(raw, sizeof raw);
    return 0;
}

/* The password by how (--password-stdin, --prompt, or generated: then
 * *generated is set). Returns 0 or -1 after saying why. */
static int get_password(const char *how, char out[PASSWORD_MAX + 2], bool *generated)
{
    *generated = false;
    if (how && strcmp(how, "--password-stdin") == 0) {
        if (read_line(stdin, out) != 0) {
            fprintf(stderr, _("junheng: no password on stdin\n"));
            return -1;
        }
        return 0;
    }
    if (how && strcmp(how, "--prompt") == 0)
        return prompt_password(out);
    *generated = true;
    if (generate_password(out) != 0) {
        fprintf(stderr, _("junheng: no random bytes for a password: %s\n"), strerror(errno));
        return -1;
    }
    return 0;
}

/* Prints an answer: --json as it came, else one "key: value" line each. */
static void print_answer(const char *body, bool as_json)
{
    json_t *o = as_json ? NULL : json_loads(body, 0, NULL);
    if (!o) {
        puts(body);
        return;
    }
    const char *key;
    json_t *v;
    size_t i;
    if (json_is_array(o)) {
        json_array_foreach(o, i, v)
        {
            printf("%-20s %-8s %-8s %s%s\n", json_string_value(json_object_get(v, "name")),
                   json_string_value(json_object_get(v, "role")), json_string_value(json_object_get(v, "scope")),
                   json_is_true(json_object_get(v, "locked")) ? _("locked") : _("active"),
                   json_is_true(json_object_get(v, "may_review")) ? _(", may review") : "");
        }
        if (json_array_size(o) == 0)
            puts(_("no web users"));
    } else {
        json_object_foreach(o, key, v)
        {
            char *text = json_dumps(v, JSON_ENCODE_ANY);
            printf("%-18s %s\n", key, text ? text : "?");
            free(text);
        }
    }
    json_decref(o);
}

/* The options of add-user and reset-password after NAME. */
typedef struct {
    const char *role, *scope, *password_how;
    bool review, as_json;
} user_options;

/* Reads argv[3..] into o. Returns 0, or -1 after saying why. */
static int user_options_read(int argc, char **argv, user_options *o)
{
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--role") == 0 || strcmp(a, "--scope") == 0) && i + 1 < argc) {
            *(a[2] == 'r' ? &o->role : &o->scope) = argv[++i];
        } else if (strcmp(a, "--review") == 0) {
            o->review = true;
        } else if (strcmp(a, "--json") == 0) {
            o->as_json = true;
        } else if (strcmp(a, "--password-stdin") == 0 || strcmp(a, "--prompt") == 0) {
            o->password_how = a;
        } else {
            fprintf(stderr, _("junheng admin %s: unexpected '%s' (see junheng admin --help)\n"), argv[1], a);
            return -1;
        }
    }
    return 0;
}

int cmd_admin_users(client_options *opts, int argc, char **argv)
{
    const char *cmd = argv[1];
    bool list = strcmp(cmd, "list-users") == 0;
    bool with_password = strcmp(cmd, "add-user") == 0 || strcmp(cmd, "reset-password") == 0;
    user_options o = { 0 };
    if (list ? (argc > 3 || (argc == 3 && strcmp(argv[2], "--json") != 0)) : argc < 3) {
        fprintf(stderr, _("junheng admin %s: see junheng admin --help\n"), cmd);
        return EXIT_USAGE;
    }
    o.as_json = list && argc == 3;
    if (!list && user_options_read(argc, argv, &o) != 0)
        return EXIT_USAGE;
    if (strcmp(cmd, "add-user") == 0 && !o.role) {
        fprintf(stderr, _("junheng admin add-user: --role school|county|monitor|admin is needed\n"));
        return EXIT_USAGE;
    }
    char password[PASSWORD_MAX + 2] = "";
    bool generated = false;
    if (with_password && get_password(o.password_how, password, &generated) != 0)
        return EXIT_USAGE;
    const char *args[4] = { list ? NULL : argv[2], o.role, o.scope ? o.scope : "", o.review ? "review" : NULL };
    size_t n_args = list ? 0 : strcmp(cmd, "add-user") == 0 ? (o.review ? 4 : 3) : 1;
    uint8_t rid[WIRE_REQUEST_ID_LEN];
    uint8_t *msg = NULL;
    size_t len = 0;
    if (wire_request_id_new(rid) != 0 ||
        wire_envelope_pack_admin(rid, cmd, args, n_args, with_password ? (const uint8_t *)password : NULL,
                                 strlen(password), &msg, &len) != 0) {
        fprintf(stderr, "junheng admin: out of memory\n");
        return EXIT_USAGE;
    }
    int code;
    char what[64];
    snprintf(what, sizeof what, "admin %s", cmd);
    Junheng__Reply *reply = users_call(what, opts->admin_endpoint, msg, len, rid, &opts->transport, &code);
    if (reply) {
        print_answer(reply->body ? reply->body : "{}", o.as_json);
        if (generated)
            printf(_("password of %s (shown this once): %s\n"), argv[2], password);
        junheng__reply__free_unpacked(reply, NULL);
    }
    explicit_bzero(password, sizeof password);
    return code;
}

static void session_usage(FILE *out)
{
    fputs(_("Usage: junheng [GLOBAL OPTIONS] session COMMAND\n"
            "\n"
            "What the web gateway (junheng-web) sends for a browser, for administrators and tests:\n"
            "  login NAME [--password-stdin | --prompt] [--address ADDR]\n"
            "                   log in as web user NAME; prints the session as JSON\n"
            "                   ({\"session\", \"user\", \"role\", \"scope\", \"may_review\", \"expires_at\"})\n"
            "  check [TOKEN]    is the session alive? (the same JSON)\n"
            "  logout [TOKEN]   end the session\n"
            "TOKEN defaults to --session (or $JUNHENG_SESSION). Any other command given\n"
            "--session TOKEN acts as that user: their role and scope, not the key's.\n"
            "\n"
            "Exit status: 0 done, 1 refused, 2 bad usage, 3 no answer.\n"),
          out);
}

int cmd_session(client_options *opts, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        session_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *action = argv[1];
    bool login = strcmp(action, "login") == 0;
    if (!login && strcmp(action, "check") != 0 && strcmp(action, "logout") != 0) {
        session_usage(stderr);
        return EXIT_USAGE;
    }
    Junheng__SessionRequest req = JUNHENG__SESSION_REQUEST__INIT;
    req.action = (char *)action;
    char password[PASSWORD_MAX + 2] = "";
    const char *how = NULL, *token = opts->transport.session;
    int i = 2;
    if (login) {
        if (argc < 3) {
            session_usage(stderr);
            return EXIT_USAGE;
        }
        req.user = argv[2];
        for (i = 3; i < argc; i++) {
            if (strcmp(argv[i], "--address") == 0 && i + 1 < argc)
                req.client_address = argv[++i];
            else if (strcmp(argv[i], "--password-stdin") == 0 || strcmp(argv[i], "--prompt") == 0)
                how = argv[i];
            else
                break;
        }
        bool generated;
        if (!how)
            how = "--prompt";
        if (get_password(how, password, &generated) != 0)
            return EXIT_USAGE;
        req.password = password;
    } else if (argc > 2) {
        token = argv[i++];
    }
    if (i < argc) {
        fprintf(stderr, _("junheng session: unexpected '%s' (see junheng session --help)\n"), argv[i]);
        return EXIT_USAGE;
    }
    Junheng__Envelope env;
    uint8_t rid[WIRE_REQUEST_ID_LEN] = { 0 }; /* drawn just before packing */
    wire_envelope_init(&env, rid); /* version, request id, this client's language */
    env.session = !login && token[0] ? (char *)token : NULL;
    env.body_case = JUNHENG__ENVELOPE__BODY_SESSION_REQUEST;
    env.session_request = &req;
    uint8_t *msg = NULL;
    size_t len = 0;
    int rc = wire_request_id_new(rid) == 0 ? wire_pack_message(&env.base, &msg, &len) : -1;
    explicit_bzero(password, sizeof password);
    if (rc != 0) {
        fprintf(stderr, "junheng session: out of memory\n");
        return EXIT_USAGE;
    }
    transport_options t = opts->transport;
    t.session[0] = '\0'; /* the token goes in the request itself */
    int code;
    char what[32];
    snprintf(what, sizeof what, "session %s", action);
    Junheng__Reply *reply = users_call(what, opts->admin_endpoint, msg, len, rid, &t, &code);
    if (reply) {
        puts(reply->body ? reply->body : "{}");
        junheng__reply__free_unpacked(reply, NULL);
    }
    return code;
}
