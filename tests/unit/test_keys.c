/* test_keys.c -- CURVE key files (common/keys.c): Z85 checks, the ZPL
 * format, a bare key, refusal of bad files, writing a pair with the right
 * modes, never overwriting, and refusing a secret file others can read. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyfile_io.h"

static const char *PUB = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
static const char *SEC = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";

Test(keys, z85_valid)
{
    cr_assert(key_z85_valid(PUB));
    cr_assert(key_z85_valid(SEC));
    cr_assert_not(key_z85_valid(NULL));
    cr_assert_not(key_z85_valid(""));
    cr_assert_not(key_z85_valid("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf"));    /* 39 */
    cr_assert_not(key_z85_valid("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7x")); /* 41 */
    cr_assert_not(key_z85_valid("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y 7"));  /* blank */
    cr_assert_not(key_z85_valid("rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y\"7")); /* quote */
}

Test(keys, parse_public_zpl)
{
    char text[512], err[128];
    snprintf(text, sizeof text,
             "#   ****  comment  ****\nmetadata\n    name = \"school-1\"\ncurve\n    public-key = \"%s\"\n", PUB);
    keypair kp;
    cr_assert_eq(keyfile_parse(text, strlen(text), &kp, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(kp.public_key, PUB);
    cr_assert_str_eq(kp.secret_key, "");
    cr_assert_str_eq(kp.name, "school-1");
}

Test(keys, parse_secret_zpl_crlf)
{
    char text[512], err[128];
    snprintf(text, sizeof text, "curve\r\n    public-key = \"%s\"\r\n    secret-key = \"%s\"\r\n", PUB, SEC);
    keypair kp;
    cr_assert_eq(keyfile_parse(text, strlen(text), &kp, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(kp.public_key, PUB);
    cr_assert_str_eq(kp.secret_key, SEC);
}

Test(keys, parse_bare_key)
{
    char text[128], err[128];
    snprintf(text, sizeof text, "\n  %s \n", PUB);
    keypair kp;
    cr_assert_eq(keyfile_parse(text, strlen(text), &kp, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(kp.public_key, PUB);
}

Test(keys, parse_refusals)
{
    char err[128];
    keypair kp;
    const char *bad[] = {
        "",
        "curve\n    public-key = \"short\"\n",
        "curve\n    secret-key = \"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\"\n",
        "school_code,name\n1,2\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(keyfile_parse(bad[i], strlen(bad[i]), &kp, err, sizeof err), -1, "case %zu accepted", i);
    char bin[] = { 'c', 'u', 'r', 'v', 'e', '\0', 'x' };
    cr_assert_eq(keyfile_parse(bin, sizeof bin, &kp, err, sizeof err), -1);
    cr_assert(strstr(err, "binary"));
    char *big = calloc(1, KEY_FILE_MAX + 2);
    memset(big, ' ', KEY_FILE_MAX + 1);
    cr_assert_eq(keyfile_parse(big, KEY_FILE_MAX + 1, &kp, err, sizeof err), -1);
    free(big);
    char text[256];
    snprintf(text, sizeof text, "public-key = \"%s\"\nsecret-key = \"%.39s!\"\n", PUB, SEC);
    text[strlen(text) - 3] = ' '; /* a blank inside the secret key */
    cr_assert_eq(keyfile_parse(text, strlen(text), &kp, err, sizeof err), -1);
    cr_assert_str_eq(kp.secret_key, "", "a refused secret is not left behind");
}

Test(keys, render_sanitises_name)
{
    keypair kp;
    memset(&kp, 0, sizeof kp);
    strcpy(kp.public_key, PUB);
    strcpy(kp.secret_key, SEC);
    strcpy(kp.name, "a\"b\nc");
    char *pub = keyfile_render(&kp, false, "2025-01-01T00:00:00Z");
    char *sec = keyfile_render(&kp, true, NULL);
    cr_assert(strstr(pub, "name = \"a_b_c\""));
    cr_assert_null(strstr(pub, SEC));
    cr_assert(strstr(sec, SEC));
    keypair back;
    char err[128];
    cr_assert_eq(keyfile_parse(sec, strlen(sec), &back, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(back.secret_key, SEC);
    free(pub);
    free(sec);
}

Test(keys, write_pair_modes_and_no_overwrite)
{
    char dir[] = "/tmp/jh-keys-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char base[256], path[300], err[512];
    snprintf(base, sizeof base, "%s/school", dir);
    keypair kp;
    memset(&kp, 0, sizeof kp);
    strcpy(kp.public_key, PUB);
    strcpy(kp.secret_key, SEC);
    strcpy(kp.name, "school");
    mode_t old = umask(0);
    cr_assert_eq(keyfile_write_pair(base, &kp, err, sizeof err), 0, "%s", err);
    umask(old);
    struct stat st;
    snprintf(path, sizeof path, "%s.key_secret", base);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    keypair back;
    cr_assert_eq(keyfile_read(path, true, &back, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(back.secret_key, SEC);
    snprintf(path, sizeof path, "%s.key", base);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0644);
    cr_assert_eq(keyfile_read(path, false, &back, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(back.public_key, PUB);
    chmod(path, 0600);
    cr_assert_eq(keyfile_read(path, true, &back, err, sizeof err), -1, "a public file is not a secret key");
    cr_assert(strstr(err, "no secret-key"), "%s", err);
    /* Never overwritten. */
    cr_assert_eq(keyfile_write_pair(base, &kp, err, sizeof err), -1);
    cr_assert(strstr(err, "already exists"), "%s", err);
    /* A secret file others can read is refused. */
    snprintf(path, sizeof path, "%s.key_secret", base);
    chmod(path, 0640);
    cr_assert_eq(keyfile_read(path, true, &back, err, sizeof err), -1);
    cr_assert(strstr(err, "chmod 600"), "%s", err);
    unlink(path);
    snprintf(path, sizeof path, "%s.key", base);
    unlink(path);
    rmdir(dir);
}
