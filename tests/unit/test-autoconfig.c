/* Unit tests for config/autoconfig.c: Mozilla's config-v1.1.xml, good
 * and hostile, and the built-in provider entries. */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "util/util.h"

#define HEAD "<?xml version=\"1.0\"?><clientConfig version=\"1.1\"><emailProvider id=\"e\">" \
             "<domain>example.org</domain><displayName>Example</displayName>"
#define TAIL "</emailProvider></clientConfig>"
#define POP(host, port, sock, user, auth) \
    "<incomingServer type=\"pop3\"><hostname>" host "</hostname><port>" port "</port>" \
    "<socketType>" sock "</socketType><username>" user "</username>" auth "</incomingServer>"
#define SMTP(host, port, sock) \
    "<outgoingServer type=\"smtp\"><hostname>" host "</hostname><port>" port "</port>" \
    "<socketType>" sock "</socketType><username>%EMAILLOCALPART%</username>" \
    "<authentication>password-cleartext</authentication></outgoingServer>"
#define PW "<authentication>password-cleartext</authentication>"

static const struct {
    const char *name, *xml;
    /* expected: NULL pop3 host = an error */
    const char *pop3_host;
    int pop3_port;
    Security pop3_sec;
    const char *pop3_user;
    AutoconfigAuth auth;
    const char *smtp_host;
    int smtp_port;
    Security smtp_sec;
    const char *doc_url;
    const char *issuer;
} cases[] = {
    { "ssl", HEAD POP("pop.example.org", "995", "SSL", "%EMAILADDRESS%", PW)
             SMTP("smtp.example.org", "465", "SSL")
             "<documentation url=\"https://example.org/help\"><descr>Help</descr></documentation>" TAIL,
      "pop.example.org", 995, SECURITY_TLS, "pat@example.org", AUTOCONFIG_AUTH_PASSWORD,
      "smtp.example.org", 465, SECURITY_TLS, "https://example.org/help" },
    { "starttls, local part, upper-case host",
      HEAD POP("POP.Example.ORG", "110", "STARTTLS", "%EMAILLOCALPART%", PW)
      SMTP("smtp.example.org", "587", "STARTTLS") TAIL,
      "pop.example.org", 110, SECURITY_STARTTLS, "pat", AUTOCONFIG_AUTH_PASSWORD,
      "smtp.example.org", 587, SECURITY_STARTTLS, NULL },
    { "imap first, pop3 second; OAuth2 only; plain-http doc ignored",
      HEAD "<incomingServer type=\"imap\"><hostname>imap.example.org</hostname><port>993</port>"
      "<socketType>SSL</socketType></incomingServer>"
      POP("pop.example.org", "995", "SSL", "x-%EMAILDOMAIN%", "<authentication>OAuth2</authentication>")
      SMTP("smtp.example.org", "587", "STARTTLS")
      "<documentation url=\"http://example.org/plain\"/>" TAIL,
      "pop.example.org", 995, SECURITY_TLS, "x-example.org", AUTOCONFIG_AUTH_OAUTH2,
      "smtp.example.org", 587, SECURITY_STARTTLS, NULL },
    { "Thunderbird's oAuth2 issuer (lower-cased); its endpoints are ignored",
      HEAD POP("pop.example.org", "995", "SSL", "%EMAILADDRESS%", "<authentication>OAuth2</authentication>")
      SMTP("smtp.example.org", "587", "STARTTLS") "</emailProvider>"
      "<oAuth2><issuer>Login.Example.NET</issuer><scope>mail</scope>"
      "<tokenURL>https://evil.example/token</tokenURL></oAuth2></clientConfig>",
      "pop.example.org", 995, SECURITY_TLS, "pat@example.org", AUTOCONFIG_AUTH_OAUTH2,
      "smtp.example.org", 587, SECURITY_STARTTLS, NULL, "login.example.net" },
    { "an issuer that is no host name is dropped",
      HEAD POP("pop.example.org", "995", "SSL", "%EMAILADDRESS%", PW)
      SMTP("smtp.example.org", "587", "STARTTLS") "</emailProvider>"
      "<oAuth2><issuer>https://x/\x1b[2J</issuer></oAuth2></clientConfig>",
      "pop.example.org", 995, SECURITY_TLS, "pat@example.org", AUTOCONFIG_AUTH_PASSWORD,
      "smtp.example.org", 587, SECURITY_STARTTLS, NULL, NULL },
    { "bad port", HEAD POP("pop.example.org", "99999", "SSL", "u", PW) TAIL,
      NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "port with letters", HEAD POP("pop.example.org", "99x", "SSL", "u", PW) TAIL,
      NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "host with a space", HEAD POP("pop example.org", "995", "SSL", "u", PW) TAIL,
      NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "host with an escape", HEAD POP("pop\x1b[2J.org", "995", "SSL", "u", PW) TAIL,
      NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "unknown socket type", HEAD POP("pop.example.org", "995", "TLS1.3", "u", PW) TAIL,
      NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "no servers", HEAD TAIL, NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "not XML", "<html><body>404</body", NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
    { "empty", "", NULL, 0, 0, NULL, 0, NULL, 0, 0, NULL },
};

static void
test_cases(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_test_message("case: %s", cases[i].name);
        g_autoptr(GError) error = NULL;
        g_autoptr(Autoconfig) ac = autoconfig_parse(cases[i].xml, strlen(cases[i].xml),
                                                    "pat@example.org", "test", &error);
        if (!cases[i].pop3_host) {
            g_assert_null(ac);
            g_assert_nonnull(error);
            g_assert_true(g_str_has_prefix(error->message, "test: "));
            continue;
        }
        g_assert_no_error(error);
        g_assert_true(ac->has_pop3);
        g_assert_cmpstr(ac->pop3.host, ==, cases[i].pop3_host);
        g_assert_cmpint(ac->pop3.port, ==, cases[i].pop3_port);
        g_assert_cmpint(ac->pop3.security, ==, cases[i].pop3_sec);
        g_assert_cmpstr(ac->pop3.user, ==, cases[i].pop3_user);
        g_assert_cmpint(ac->pop3.auth, ==, cases[i].auth);
        g_assert_true(ac->has_smtp);
        g_assert_cmpstr(ac->smtp.host, ==, cases[i].smtp_host);
        g_assert_cmpint(ac->smtp.port, ==, cases[i].smtp_port);
        g_assert_cmpint(ac->smtp.security, ==, cases[i].smtp_sec);
        g_assert_cmpstr(ac->smtp.user, ==, "pat");
        g_assert_cmpstr(ac->doc_url, ==, cases[i].doc_url);
        g_assert_cmpstr(ac->oauth_issuer, ==, cases[i].issuer);
        g_assert_null(ac->oauth_preset);   /* only built-in entries name one */
        g_assert_cmpstr(ac->display_name, ==, "Example");
    }
}

static void
test_builtin(void)
{
    static const struct { const char *address, *pop3, *smtp; gboolean oauth_only; } want[] = {
        { "a@gmail.com", "pop.gmail.com", "smtp.gmail.com", FALSE },
        { "a@GoogleMail.com", "pop.gmail.com", "smtp.gmail.com", FALSE },
        { "a@outlook.com", "outlook.office365.com", "smtp-mail.outlook.com", TRUE },
        { "a@hotmail.com", "outlook.office365.com", "smtp-mail.outlook.com", TRUE },
        { "a@yahoo.com", "pop.mail.yahoo.com", "smtp.mail.yahoo.com", FALSE },
        { "a@icloud.com", NULL, "smtp.mail.me.com", FALSE },
        { "a@gmx.de", "pop.gmx.net", "mail.gmx.net", FALSE },
        { "a@web.de", "pop3.web.de", "smtp.web.de", FALSE },
        { "a@fastmail.com", "pop.fastmail.com", "smtp.fastmail.com", FALSE },
        { "a@mailbox.org", "pop3.mailbox.org", "smtp.mailbox.org", FALSE },
        { "a@proton.me", NULL, "127.0.0.1", FALSE },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
        g_test_message("built-in: %s", want[i].address);
        g_autoptr(Autoconfig) ac = autoconfig_builtin(want[i].address);
        g_assert_nonnull(ac);
        g_assert_cmpint(ac->has_pop3, ==, want[i].pop3 != NULL);
        if (want[i].pop3) {
            g_assert_cmpstr(ac->pop3.host, ==, want[i].pop3);
            g_assert_cmpint(ac->pop3.auth == AUTOCONFIG_AUTH_OAUTH2, ==, want[i].oauth_only);
            g_assert_cmpstr(ac->pop3.user, ==, want[i].address);
        }
        g_assert_cmpstr(ac->smtp.host, ==, want[i].smtp);
        /* Every entry names the provider's page, over https. */
        g_assert_true(g_str_has_prefix(ac->doc_url, "https://"));
        g_assert_nonnull(ac->doc_text);
    }
    g_assert_null(autoconfig_builtin("a@unknown.example"));
    g_assert_null(autoconfig_builtin("no-at-sign"));
    for (guint i = 0; autoconfig_builtin_text(i); i++) {
        const char *t = autoconfig_builtin_text(i);
        g_autoptr(GError) error = NULL;
        g_autoptr(Autoconfig) ac = autoconfig_parse(t, strlen(t), "a@b.c", "built-in", &error);
        g_assert_no_error(error);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/autoconfig/cases", test_cases);
    g_test_add_func("/autoconfig/builtin", test_builtin);
    return g_test_run();
}
