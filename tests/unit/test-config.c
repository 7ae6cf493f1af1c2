/* Unit tests for config/: good and bad files, each problem at its line. */
#include <config.h>

#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/conf.h"
#include "util/util.h"

static char *tmpdir;

static char *
write_conf(const char *text, int mode)
{
    static int n;
    char *path = g_strdup_printf("%s/config-%d", tmpdir, ++n);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_assert_cmpint(chmod(path, (mode_t)mode), ==, 0);
    return path;
}

/* The formatted problems, one per line, with the file name replaced by F. */
static char *
problems_text(const char *path, GPtrArray *problems)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < problems->len; i++) {
        g_autofree char *line = conf_problem_format(problems->pdata[i]);
        g_assert_true(g_str_has_prefix(line, path));
        g_string_append_printf(s, "F%s\n", line + strlen(path));
    }
    return g_string_free(s, FALSE);
}

static const char good[] =
    "# a comment\n"
    "[general]\n"
    "mail_dir = ~/Mail\n"
    "check_interval = 5\n"
    "\n"
    "[account home]\n"
    "name = Alice Example\n"
    "address = alice@example.org\n"
    "pop3_host = pop.example.org\n"
    "smtp_host = smtp.example.org\n"
    "password_command = echo s3cret\n"
    "delete_after_days = 14\n"
    "size_limit = 2M\n"
    "tls_fingerprint = AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89\n"
    "\n"
    "[account work]\n"
    "address = a.example@work.example\n"
    "pop3_host = mail.work.example\n"
    "pop3_security = starttls\n"
    "smtp_host = mail.work.example\n"
    "smtp_security = tls\n"
    "default = yes\n"
    "attachment_encoding = uuencode\n"
    "\n"
    "[filter lists]\n"
    "header = List-Id\n"
    "matches = ^.*<dev\\.lists\\.example\\.org>$\n"
    "folder = Lists\n";

static void
test_good_file(void)
{
    g_autofree char *path = write_conf(good, 0644);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, &problems, &error);
    g_assert_no_error(error);
    g_assert_nonnull(cfg);
    g_autofree char *text = problems_text(path, problems);
    g_assert_cmpstr(text, ==, "");

    g_autofree char *mail = g_build_filename(g_get_home_dir(), "Mail", NULL);
    g_assert_cmpstr(cfg->mail_dir, ==, mail);
    g_assert_cmpint(cfg->check_interval, ==, 5);
    g_assert_cmpuint(cfg->accounts->len, ==, 2);

    Account *home = conf_find_account(cfg, "home");
    g_assert_nonnull(home);
    g_assert_cmpstr(home->real_name, ==, "Alice Example");
    g_assert_cmpint(home->pop3.security, ==, SECURITY_TLS);
    g_assert_cmpuint(home->pop3.port, ==, 995);
    g_assert_cmpint(home->smtp.security, ==, SECURITY_STARTTLS);
    g_assert_cmpuint(home->smtp.port, ==, 587);
    g_assert_cmpstr(home->pop3.user, ==, "alice@example.org");
    g_assert_true(home->leave_on_server);
    g_assert_cmpint(home->delete_after_days, ==, 14);
    g_assert_cmpuint(home->size_limit, ==, 2 * 1024 * 1024);
    g_assert_cmpstr(home->pop3.tls_fingerprint, ==,
                    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    g_assert_cmpint(home->attachment_encoding, ==, ATTACH_ENCODING_MIME);

    Account *work = conf_find_account(cfg, "work");
    g_assert_cmpuint(work->pop3.port, ==, 110);
    g_assert_cmpuint(work->smtp.port, ==, 465);
    g_assert_cmpint(work->attachment_encoding, ==, ATTACH_ENCODING_UUENCODE);
    g_assert_true(conf_default_account(cfg) == work);
    g_assert_true(conf_account_for_address(cfg, "A.Example@WORK.example") == work);

    g_assert_cmpuint(cfg->filters->len, ==, 1);
    Filter *f = cfg->filters->pdata[0];
    g_assert_cmpint(f->kind, ==, FILTER_MATCHES);
    g_assert_true(g_regex_match(f->regex, "Dev <DEV.lists.example.org>", 0, NULL));

    g_assert_cmpint(conf_line_of(cfg, "account work", "pop3_security"), ==, 19);

    g_autofree char *secret = conf_server_secret(home, &home->pop3, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(secret, ==, "s3cret");
}

/* Each bad file and exactly the problems it must produce. */
typedef struct {
    const char *name;
    const char *text;
    int mode;
    const char *problems;   /* formatted, file name as F */
    gboolean has_errors;
} BadCase;

static const BadCase bad_cases[] = {
    { "bad port",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_port = 99999\n", 0600,
      "F:4: pop3_port: \"99999\" is not a whole number from 1 to 65535\n", TRUE },
    { "port not a number",
      "[account a]\naddress = a@x.org\nsmtp_host = h\nsmtp_port = 25x\n", 0600,
      "F:4: smtp_port: \"25x\" is not a whole number from 1 to 65535\n", TRUE },
    { "bad security",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_security = ssl3\n", 0600,
      "F:4: pop3_security: \"ssl3\" is not one of tls, starttls, none\n", TRUE },
    { "missing host",
      "[account a]\naddress = a@x.org\n", 0600,
      "F:1: missing host: set pop3_host, smtp_host or both\n", TRUE },
    { "missing address",
      "[account a]\npop3_host = h\n", 0600,
      "F:1: address: missing: the account's e-mail address\n", TRUE },
    { "unknown key is a warning",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_hots = h\n", 0600,
      "F:4: pop3_hots: warning: unknown setting; ignored\n", FALSE },
    { "unknown group is a warning",
      "[acount a]\naddress = a@x.org\n", 0600,
      "F:1: warning: unknown group [acount a]; expected [general], [account NAME], "
      "[filter NAME], [keys] or [colors]\n", FALSE },
    { "world-readable password",
      "[account a]\naddress = a@x.org\npop3_host = h\npassword = hunter2\n", 0644,
      "F:4: password: refusing a password in a file that others can read; "
      "run 'chmod 600 F', or use password_command instead\n", TRUE },
    { "group-readable smtp password",
      "[account a]\naddress = a@x.org\nsmtp_host = h\nsmtp_password = hunter2\n", 0640,
      "F:4: smtp_password: refusing a password in a file that others can read; "
      "run 'chmod 600 F', or use password_command instead\n", TRUE },
    { "plaintext password warned",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_security = none\npassword = x\n", 0600,
      "F:4: pop3_security: warning: security is none, so no password will be sent; "
      "set allow_plaintext_password = true to send it unencrypted\n", FALSE },
    { "plaintext password allowed",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_security = none\npassword = x\n"
      "allow_plaintext_password = true\n", 0600,
      "", FALSE },
    { "bad boolean",
      "[account a]\naddress = a@x.org\npop3_host = h\nleave_on_server = perhaps\n", 0600,
      "F:4: leave_on_server: \"perhaps\" is not true or false\n", TRUE },
    { "bad fingerprint",
      "[account a]\naddress = a@x.org\npop3_host = h\ntls_fingerprint = 12:34\n", 0600,
      "F:4: tls_fingerprint: not a SHA-256 fingerprint (64 hex digits, colons allowed)\n", TRUE },
    { "bad filter",
      "[account a]\naddress = a@x.org\npop3_host = h\n[filter f]\nheader = From\n"
      "matches = (unclosed\nfolder = ../etc\naccount = nobody\n", 0600,
      NULL, TRUE },
    { "xoauth2 without a token command",
      "[account a]\naddress = a@x.org\nsmtp_host = h\nsmtp_auth = xoauth2\n", 0600,
      "F:4: smtp_auth: xoauth2 needs oauth_token_command (for example "
      "\"postie oauth token a\")\n", TRUE },
    { "oauth settings checked",
      "[account a]\naddress = a@x.org\nsmtp_host = h\noauth_provider = yahoo\n"
      "oauth_flow = fax\noauth_token_url = http://auth.example/token\n"
      "oauth_refresh_token_command = cat t\n", 0600,
      "F:4: oauth_provider: \"yahoo\" is not one of microsoft, microsoft-organizations, google\n"
      "F:5: oauth_flow: \"fax\" is not one of device, browser\n"
      "F:6: oauth_token_url: must be an https:// address (http:// only on this machine: "
      "127.0.0.1, localhost, [::1])\n"
      "F:7: oauth_refresh_token_command: oauth_refresh_token_command and "
      "oauth_refresh_token_store_command go together\n", TRUE },
    { "oauth settings accepted",
      "[account a]\naddress = a@x.org\nsmtp_host = h\nsmtp_auth = oauthbearer\n"
      "oauth_provider = google\noauth_client_id = c\noauth_token_url = "
      "http://127.0.0.1:9/token\noauth_token_command = postie oauth token a\n", 0600,
      "", FALSE },
    { "duplicate key",
      "[account a]\naddress = a@x.org\npop3_host = h\npop3_host = h2\n", 0600,
      "F:4: pop3_host: warning: set twice in the same group; the last one counts\n", FALSE },
    { "address with the name in it",
      "[account a]\naddress = Alice <a@x.org>\npop3_host = h\n", 0600,
      "F:2: address: \"Alice <a@x.org>\" is not an e-mail address (write only the address, "
      "like name@example.org; the name goes in name =)\n", TRUE },
    { "two addresses",
      "[account a]\naddress = a@x.org, b@x.org\npop3_host = h\n", 0600,
      "F:2: address: \"a@x.org, b@x.org\" is not an e-mail address (write only the address, "
      "like name@example.org; the name goes in name =)\n", TRUE },
    { "address without a domain",
      "[account a]\naddress = alice@\npop3_host = h\n", 0600,
      "F:2: address: \"alice@\" is not an e-mail address (write only the address, "
      "like name@example.org; the name goes in name =)\n", TRUE },
    { "IDN and quoted addresses are addresses",
      "[account a]\naddress = jörg@bücher.example\npop3_host = h\n"
      "[account b]\naddress = \"j doe\"@x.org\npop3_host = h\n"
      "[account c]\naddress = root@[IPv6:2001:db8::1]\npop3_host = h\n", 0600,
      "", FALSE },
};

static void
test_bad_files(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        const BadCase *bc = &bad_cases[i];
        g_test_message("case: %s", bc->name);
        g_autofree char *path = write_conf(bc->text, bc->mode);
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) problems = NULL;
        g_autoptr(PostieConfig) cfg = conf_load(path, &problems, &error);
        g_assert_no_error(error);
        g_assert_nonnull(cfg);
        g_autofree char *text = problems_text(path, problems);
        if (bc->problems) {
            /* The file name inside the chmod advice, too. */
            g_autofree char *want = NULL;
            GString *w = g_string_new(bc->problems);
            g_string_replace(w, "chmod 600 F", "chmod 600 FILE", 0);
            want = g_string_free(w, FALSE);
            GString *g = g_string_new(text);
            g_autofree char *chmod_path = g_strdup_printf("chmod 600 %s", path);
            g_string_replace(g, chmod_path, "chmod 600 FILE", 0);
            g_autofree char *got = g_string_free(g, FALSE);
            g_assert_cmpstr(got, ==, want);
        }
        g_assert_cmpint(conf_has_errors(problems), ==, bc->has_errors);
    }
}

static void
test_bad_filter_details(void)
{
    g_autofree char *path = write_conf(bad_cases[13].text, 0600);
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, &problems, NULL);
    g_autofree char *text = problems_text(path, problems);
    g_assert_nonnull(strstr(text, "F:6: matches: bad regular expression"));
    g_assert_nonnull(strstr(text, "F:7: folder: \"../etc\" is not a folder name"));
    g_assert_nonnull(strstr(text, "F:8: account: no account named \"nobody\""));
}

static void
test_syntax_errors(void)
{
    static const struct { const char *text; const char *want; } cases[] = {
        { "[general]\nmail_dir = x\nthis line is junk\n", ":3: \"this line is junk\" is not a setting" },
        { "key = before group\n", ":1: setting before the first [group]" },
        { "[general\nx = 1\n", ":1: group header has no closing ']'" },
        { "[general]\nescape = \x1b[31m\njunk \x1b]0;title\x07\n", ":3: \"junk ^[]0;title^G\" is not a setting" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = write_conf(cases[i].text, 0600);
        g_autoptr(GError) error = NULL;
        g_autoptr(PostieConfig) cfg = conf_load(path, NULL, &error);
        g_assert_null(cfg);
        g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
        g_assert_true(g_str_has_prefix(error->message, path));
        g_assert_nonnull(strstr(error->message, cases[i].want));
    }

    /* A file given by mistake, one line of a megabyte: the message shows
     * the start of it. */
    GString *big = g_string_new("[general]\n");
    for (int i = 0; i < 1 << 20; i++)
        g_string_append_c(big, "0123456789abcdef"[i % 16]);
    g_string_append_c(big, '\n');
    g_autofree char *path = write_conf(big->str, 0600);
    g_string_free(big, TRUE);
    g_autoptr(GError) error = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, NULL, &error);
    g_assert_null(cfg);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
    g_assert_nonnull(strstr(error->message,
                            ":2: \"0123456789abcdef0123456789abcdef0123456789abcdef"
                            "0123456789abcdef0123456789abc...\" is not a setting"));
    g_assert_cmpuint(strlen(error->message), <, strlen(path) + 200);
}

static void
test_missing_file(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "does-not-exist", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, NULL, &error);
    g_assert_null(cfg);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_NOT_FOUND);
    g_assert_nonnull(strstr(error->message, path));
}

static void
test_not_text(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "binary", NULL);
    g_assert_true(g_file_set_contents(path, "[general]\n\xff\xfe\n", -1, NULL));
    g_autoptr(GError) error = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, NULL, &error);
    g_assert_null(cfg);
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
}

static void
test_password_command(void)
{
    static const struct { const char *cmd; const char *want; const char *err; } cases[] = {
        { "printf 'pw with space\\nsecond line\\n'", "pw with space", NULL },
        { "false", NULL, "account a: password_command: false failed" },
        { "true", NULL, "account a: password_command: true printed nothing" },
        { "sh -c 'echo oops >&2; exit 3'", NULL, "oops" },
        { "/nonexistent/helper", NULL, "cannot run /nonexistent/helper" },
        { "echo 'unterminated", NULL, "cannot parse the command" },
        /* No shell: metacharacters are plain arguments. */
        { "echo $HOME;rm", "$HOME;rm", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        Account a = { .id = (char *)"a" };
        a.pop3.password_command = (char *)cases[i].cmd;
        g_autoptr(GError) error = NULL;
        g_autofree char *got = conf_server_secret(&a, &a.pop3, &error);
        if (cases[i].want) {
            g_assert_no_error(error);
            g_assert_cmpstr(got, ==, cases[i].want);
        } else {
            g_assert_null(got);
            g_assert_nonnull(error);
            if (!strstr(error->message, cases[i].err))
                g_error("'%s': got \"%s\"", cases[i].cmd, error->message);
        }
    }
    Account none = { .id = (char *)"n" };
    g_autoptr(GError) error = NULL;
    g_assert_null(conf_server_secret(&none, &none.pop3, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
}

/* What the first-run setup writes reads back as the same account, with
 * no problem, mode 0600; values that need quoting survive. */
static void
test_write_new(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "new", "sub", "config", NULL);
    ConfNewAccount a = {
        .name = "Zoë \"Z\" Example; #1",
        .address = "zoe@mail.example.org",
        .pop3_host = "pop.example.org", .pop3_port = "995", .pop3_security = "tls",
        .user = "zoe",
        .password = "not written", .password_command = "pass show mail # x",
        .leave_on_server = TRUE, .delete_after_days = "14",
        .smtp_host = "smtp.example.org", .smtp_port = "587", .smtp_security = "starttls",
    };
    g_autoptr(GError) error = NULL;
    g_assert_true(conf_write_new(path, &a, &error));
    g_assert_no_error(error);
    struct stat st;
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);

    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, &problems, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(problems->len, ==, 0);
    Account *r = conf_default_account(cfg);
    g_assert_nonnull(r);
    g_assert_cmpstr(r->id, ==, "mail");
    g_assert_cmpstr(r->real_name, ==, a.name);
    g_assert_cmpstr(r->address, ==, a.address);
    g_assert_cmpstr(r->pop3.host, ==, "pop.example.org");
    g_assert_cmpuint(r->pop3.port, ==, 995);
    g_assert_cmpint(r->pop3.security, ==, SECURITY_TLS);
    g_assert_cmpstr(r->pop3.user, ==, "zoe");
    g_assert_cmpstr(r->pop3.password_command, ==, "pass show mail # x");
    g_assert_false(r->pop3.password);    /* the command wins */
    g_assert_true(r->leave_on_server);
    g_assert_cmpint(r->delete_after_days, ==, 14);
    g_assert_cmpstr(r->smtp.host, ==, "smtp.example.org");
    g_assert_cmpuint(r->smtp.port, ==, 587);
    g_assert_cmpint(r->smtp.security, ==, SECURITY_STARTTLS);
    g_assert_cmpstr(r->smtp.user, ==, "zoe");

    /* Not leaving mail on the server: no expiry is written. */
    a.leave_on_server = FALSE;
    a.password_command = "";
    g_assert_true(conf_write_new(path, &a, &error));
    g_autoptr(PostieConfig) cfg2 = conf_load(path, NULL, &error);
    g_assert_no_error(error);
    r = conf_default_account(cfg2);
    g_assert_false(r->leave_on_server);
    g_assert_cmpint(r->delete_after_days, ==, 0);
    g_assert_true(r->pop3.password);
    char *pw = conf_server_secret(r, &r->pop3, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(pw, ==, "not written");
    secret_free(pw);
}

static void
test_new_account_id(void)
{
    static const char *const cases[][2] = {
        { "a@example.org", "example" },
        { "a@mail.example.org", "mail" },
        { "a@ex_am!ple.org", "example" },
        { "a@", "mail" },
        { "no-at-sign", "mail" },
        { "a@xn--bcher-kva.example", "xn--bcher-kva" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *id = conf_new_account_id(cases[i][0]);
        g_assert_cmpstr(id, ==, cases[i][1]);
    }
}

/* A password in the file is not kept in the parsed config: it is read
 * again when a login needs it (and refused once the file is readable by
 * others). */
static void
test_password_on_demand(void)
{
    g_autofree char *path = write_conf(
        "[account a]\naddress = a@x.org\npop3_host = h\nsmtp_host = h\n"
        "password = hunter2\n\n"
        "[account b]\naddress = b@x.org\nsmtp_host = h\nsmtp_password = s\\stwo\n", 0600);
    g_autoptr(GError) error = NULL;
    g_autoptr(PostieConfig) cfg = conf_load(path, NULL, &error);
    g_assert_no_error(error);
    Account *a = conf_find_account(cfg, "a");
    Account *b = conf_find_account(cfg, "b");
    g_assert_true(a->pop3.password && a->smtp.password);
    g_assert_true(b->smtp.password && !b->pop3.password);
    g_assert_false(g_key_file_has_key(cfg->keyfile, "account a", "password", NULL));
    g_assert_false(g_key_file_has_key(cfg->keyfile, "account b", "smtp_password", NULL));
    g_autofree char *data = g_key_file_to_data(cfg->keyfile, NULL, NULL);
    g_assert_null(strstr(data, "hunter2"));

    char *pw = conf_server_secret(a, &a->pop3, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(pw, ==, "hunter2");
    secret_free(pw);
    pw = conf_server_secret(a, &a->smtp, &error);
    g_assert_cmpstr(pw, ==, "hunter2");   /* smtp falls back to password */
    secret_free(pw);
    pw = conf_server_secret(b, &b->smtp, &error);
    g_assert_cmpstr(pw, ==, "s two");
    secret_free(pw);

    g_assert_cmpint(chmod(path, 0644), ==, 0);
    g_assert_null(conf_server_secret(a, &a->pop3, &error));
    g_assert_error(error, POSTIE_ERROR, POSTIE_ERROR_CONFIG);
    g_assert_nonnull(strstr(error->message, "chmod 600"));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    tmpdir = g_dir_make_tmp("postie-conf-XXXXXX", NULL);
    g_test_add_func("/config/good_file", test_good_file);
    g_test_add_func("/config/bad_files", test_bad_files);
    g_test_add_func("/config/bad_filter_details", test_bad_filter_details);
    g_test_add_func("/config/syntax_errors", test_syntax_errors);
    g_test_add_func("/config/missing_file", test_missing_file);
    g_test_add_func("/config/not_text", test_not_text);
    g_test_add_func("/config/password_command", test_password_command);
    g_test_add_func("/config/write_new", test_write_new);
    g_test_add_func("/config/new_account_id", test_new_account_id);
    g_test_add_func("/config/password_on_demand", test_password_on_demand);
    int rc = g_test_run();
    g_autofree char *rm = g_strdup_printf("rm -rf '%s'", tmpdir);
    (void)!system(rm);
    g_free(tmpdir);
    return rc;
}
