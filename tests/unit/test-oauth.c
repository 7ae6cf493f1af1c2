/* oauth/: the authorization server's replies (table-driven), PKCE, the
 * presets, and where tokens are stored. */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "oauth/oauth.h"
#include "util/util.h"

static void
test_token_reply(void)
{
    static const struct {
        long status;
        const char *body;
        int kind;                /* OAuthReplyKind, or -1: refused */
        const char *access, *refresh, *error;
        gint64 expires;
    } cases[] = {
        { 200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3599,"
               "\"refresh_token\":\"rt-1\"}", OAUTH_REPLY_OK, "at-1", "rt-1", NULL, 3599 },
        { 200, "{\"access_token\":\"at\",\"token_type\":\"bearer\"}", OAUTH_REPLY_OK,
          "at", NULL, NULL, 3600 },
        { 200, "{\"access_token\":\"at\",\"expires_in\":\"120\"}", OAUTH_REPLY_OK,
          "at", NULL, NULL, 120 },
        { 400, "{\"error\":\"authorization_pending\"}", OAUTH_REPLY_PENDING, NULL, NULL,
          "authorization_pending", 0 },
        { 400, "{\"error\":\"slow_down\"}", OAUTH_REPLY_SLOW_DOWN, NULL, NULL, "slow_down", 0 },
        { 400, "{\"error\":\"invalid_grant\",\"error_description\":\"gone\"}",
          OAUTH_REPLY_ERROR, NULL, NULL, "invalid_grant", 0 },
        { 401, "{\"error\":\"invalid_client\"}", OAUTH_REPLY_ERROR, NULL, NULL,
          "invalid_client", 0 },
        /* refused */
        { 200, "", -1, NULL, NULL, NULL, 0 },
        { 200, "[]", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"at\"", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"token_type\":\"Bearer\"}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":42}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"a b\"}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"a\\u001bb\"}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"at\",\"token_type\":\"MAC\"}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"at\",\"expires_in\":-5}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"at\",\"expires_in\":\"soon\"}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"access_token\":\"at\",\"refresh_token\":[]}", -1, NULL, NULL, NULL, 0 },
        { 500, "<html>oops</html>", -1, NULL, NULL, NULL, 0 },
        { 500, "{}", -1, NULL, NULL, NULL, 0 },
        { 400, "{\"error\":7}", -1, NULL, NULL, NULL, 0 },
        { 200, "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
          -1, NULL, NULL, NULL, 0 },
        { 200, "\xff\xfe{}", -1, NULL, NULL, NULL, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        OAuthTokenReply r;
        g_autoptr(GError) e = NULL;
        gboolean ok = oauth_parse_token_reply(cases[i].status, cases[i].body,
                                              strlen(cases[i].body), &r, &e);
        if (cases[i].kind < 0) {
            g_assert_false(ok);
            g_assert_error(e, POSTIE_ERROR, POSTIE_ERROR_PROTOCOL);
            continue;
        }
        g_assert_no_error(e);
        g_assert_true(ok);
        g_assert_cmpint(r.kind, ==, cases[i].kind);
        g_assert_cmpstr(r.access_token, ==, cases[i].access);
        g_assert_cmpstr(r.refresh_token, ==, cases[i].refresh);
        g_assert_cmpstr(r.error, ==, cases[i].error);
        if (cases[i].kind == OAUTH_REPLY_OK)
            g_assert_cmpint(r.expires_in, ==, cases[i].expires);
        oauth_token_reply_clear(&r);
    }
    /* Larger than the limit: refused without parsing. */
    g_autofree char *big = g_strnfill(OAUTH_REPLY_MAX + 1, ' ');
    OAuthTokenReply r;
    g_assert_false(oauth_parse_token_reply(200, big, strlen(big), &r, NULL));
}

static void
test_device_reply(void)
{
    static const struct {
        const char *body;
        gboolean ok;
        const char *uri;
        gint64 interval;
    } cases[] = {
        { "{\"device_code\":\"d\",\"user_code\":\"ABCD-1234\",\"verification_uri\":"
          "\"https://microsoft.com/devicelogin\",\"expires_in\":900,\"interval\":5}",
          TRUE, "https://microsoft.com/devicelogin", 5 },
        /* Google's spelling, no interval (RFC 8628: 5) */
        { "{\"device_code\":\"d\",\"user_code\":\"ABC-DEF-GHI\",\"verification_url\":"
          "\"https://www.google.com/device\",\"expires_in\":1800}",
          TRUE, "https://www.google.com/device", 5 },
        { "{\"device_code\":\"d\",\"user_code\":\"X\",\"verification_uri\":"
          "\"http://evil.example/\"}", FALSE, NULL, 0 },
        { "{\"device_code\":\"d\",\"user_code\":\"X\\u001b[2J\",\"verification_uri\":"
          "\"https://a.example/\"}", FALSE, NULL, 0 },
        { "{\"device_code\":\"d\",\"verification_uri\":\"https://a.example/\"}",
          FALSE, NULL, 0 },
        { "{\"device_code\":\"d\",\"user_code\":\"X\",\"verification_uri\":"
          "\"https://a.example/\",\"interval\":99999}", FALSE, NULL, 0 },
        { "{\"error\":\"invalid_client\"}", FALSE, NULL, 0 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        OAuthDeviceReply d;
        g_autoptr(GError) e = NULL;
        gboolean ok = oauth_parse_device_reply(200, cases[i].body,
                                               strlen(cases[i].body), &d, &e);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (!ok) {
            g_assert_nonnull(e);
            continue;
        }
        g_assert_cmpstr(d.verification_uri, ==, cases[i].uri);
        g_assert_cmpint(d.interval, ==, cases[i].interval);
        oauth_device_reply_clear(&d);
    }
}

static void
test_pkce(void)
{
    /* RFC 7636 appendix B. */
    g_autofree char *c = oauth_pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    g_assert_cmpstr(c, ==, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static void
test_presets(void)
{
    const OAuthPreset *p = oauth_preset_find("microsoft");
    g_assert_nonnull(p);
    g_assert_nonnull(strstr(p->scope, "POP.AccessAsUser.All"));
    g_assert_nonnull(strstr(p->scope, "SMTP.Send"));
    g_assert_nonnull(strstr(p->scope, "offline_access"));
    g_assert_nonnull(strstr(p->token_url, "/consumers/"));
    g_assert_nonnull(strstr(oauth_preset_find("microsoft-organizations")->token_url,
                            "/organizations/"));
    g_assert_true(oauth_preset_find("google")->browser);
    g_assert_null(oauth_preset_find("yahoo"));
    g_assert_cmpstr(oauth_preset_for_host("smtp-mail.outlook.com")->name, ==, "microsoft");
    g_assert_cmpstr(oauth_preset_for_host("alice@gmail.com")->name, ==, "google");
    g_assert_cmpstr(oauth_preset_for_host("smtp.office365.com")->name, ==,
                    "microsoft-organizations");
    g_assert_null(oauth_preset_for_host("notgmail.com"));
    g_assert_null(oauth_preset_for_host("mail.example.org"));
    g_assert_null(oauth_preset_for_host("pop.mail.yahoo.com"));  /* passwords work */
    g_assert_cmpstr(oauth_preset_for_issuer("accounts.google.com")->name, ==, "google");
    g_assert_cmpstr(oauth_preset_for_issuer("LOGIN.microsoftonline.com")->name, ==,
                    "microsoft");
    g_assert_null(oauth_preset_for_issuer("login.example.net"));
    g_assert_null(oauth_preset_for_issuer(NULL));
}

static void
test_store_path(void)
{
    g_autofree char *p = oauth_store_path("../../etc/x");
    g_autofree char *base = g_path_get_basename(p);
    g_autofree char *dir = g_path_get_dirname(p);
    g_assert_null(strchr(base, '/'));
    g_assert_true(base[0] != '.');
    g_assert_true(g_str_has_suffix(dir, "/postie/oauth"));
}

static void
test_setup(void)
{
    g_assert_cmpstr(oauth_setup_needed("a@hotmail.com", NULL, NULL)->name, ==, "microsoft");
    g_assert_cmpstr(oauth_setup_needed("a@corp.example", "outlook.office365.com",
                                       NULL)->name, ==, "microsoft-organizations");
    g_assert_cmpstr(oauth_setup_needed("a@example.org", "pop.example.org",
                                       "smtp.gmail.com")->name, ==, "google");
    g_assert_null(oauth_setup_needed("a@example.org", "pop.example.org", "smtp.example.org"));
    /* Microsoft 365 for a company's own domain. */
    g_assert_cmpstr(oauth_setup_needed("a@corp.example", "outlook.office365.com",
                                       "smtp.office365.com")->name, ==,
                    "microsoft-organizations");

    /* The provider entries: an address whose domain names no preset gets
     * the one of the servers its entry lists, personal accounts kept
     * apart from work ones by the SMTP host; every entry that takes only
     * OAuth 2 maps to a preset. */
    static const struct { const char *address, *preset; } entries[] = {
        { "a@outlook.de", "microsoft" }, { "a@hotmail.de", "microsoft" },
        { "a@outlook.com", "microsoft" }, { "a@googlemail.com", "google" },
        { "a@gmx.de", NULL }, { "a@mailbox.org", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(entries); i++) {
        g_autoptr(Autoconfig) ac = autoconfig_builtin(entries[i].address);
        g_assert_nonnull(ac);
        const OAuthPreset *p = oauth_setup_needed(entries[i].address, ac->pop3.host,
                                                  ac->smtp.host);
        g_assert_cmpstr(p ? p->name : NULL, ==, entries[i].preset);
    }
    for (guint i = 0; autoconfig_builtin_text(i); i++) {
        const char *t = autoconfig_builtin_text(i);
        g_autoptr(Autoconfig) ac = autoconfig_parse(t, strlen(t), "a@example.org",
                                                    "built-in", NULL);
        g_assert_nonnull(ac);
        if (ac->smtp.auth == AUTOCONFIG_AUTH_OAUTH2 || ac->pop3.auth == AUTOCONFIG_AUTH_OAUTH2)
            g_assert_nonnull(oauth_setup_needed("a@example.org", ac->pop3.host,
                                                ac->smtp.host));
    }
    /* One table: every preset a built-in entry names exists, and the
     * entry found for an address carries it. */
    static const struct { const char *address, *preset; } named[] = {
        { "a@gmail.com", "google" }, { "a@live.com", "microsoft" }, { "a@gmx.net", NULL },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(named); i++) {
        g_autoptr(Autoconfig) ac = autoconfig_builtin(named[i].address);
        g_assert_cmpstr(ac->oauth_preset, ==, named[i].preset);
        if (named[i].preset)
            g_assert_nonnull(oauth_preset_find(ac->oauth_preset));
    }

    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_key_file_set_string(kf, "account my work", "password", "secret");
    g_key_file_set_string(kf, "account my work", "password_command", "pass x");
    oauth_setup_keys(kf, "account my work", "my work", "/tmp/other config",
                     oauth_preset_find("google"), "cid");
    g_autofree char *prov = g_key_file_get_string(kf, "account my work", "oauth_provider", NULL);
    g_autofree char *cid = g_key_file_get_string(kf, "account my work", "oauth_client_id", NULL);
    g_autofree char *cmd = g_key_file_get_string(kf, "account my work", "oauth_token_command", NULL);
    g_assert_cmpstr(prov, ==, "google");
    g_assert_cmpstr(cid, ==, "cid");
    g_assert_true(g_str_has_suffix(cmd, " --config '/tmp/other config' oauth token 'my work'"));
    g_assert_false(g_key_file_has_key(kf, "account my work", "password", NULL));
    g_assert_false(g_key_file_has_key(kf, "account my work", "password_command", NULL));
    /* The command parses back into the right words. */
    g_auto(GStrv) argv = NULL;
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    guint n = g_strv_length(argv);
    g_assert_cmpuint(n, ==, 6);
    g_assert_cmpstr(argv[2], ==, "/tmp/other config");
    g_assert_cmpstr(argv[5], ==, "my work");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/oauth/token-reply", test_token_reply);
    g_test_add_func("/oauth/device-reply", test_device_reply);
    g_test_add_func("/oauth/pkce", test_pkce);
    g_test_add_func("/oauth/presets", test_presets);
    g_test_add_func("/oauth/store-path", test_store_path);
    g_test_add_func("/oauth/setup", test_setup);
    return g_test_run();
}
