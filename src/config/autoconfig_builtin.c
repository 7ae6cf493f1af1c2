/* Built-in provider entries in Mozilla's autoconfig format, for when the
 * provider's own file cannot be fetched (offline, or none published).
 * Checked against the providers' help pages (December 2026); each names
 * the page to visit for the password the provider wants (app password,
 * OAuth 2, or POP to be switched on first).  iCloud and Proton Mail
 * Bridge offer no POP3: their entries say so.
 *
 * This is postie's one table of providers: an entry whose provider takes
 * OAuth 2 names the OAuth preset that applies (oauth/provider.c keeps
 * only the endpoints and scopes under that name). */
#include <config.h>

#include <string.h>

#include "config/autoconfig.h"
#include "util/util.h"

#define SERVER(dir, type, host, port, sock, auth) \
    "<" dir "Server type=\"" type "\"><hostname>" host "</hostname><port>" port \
    "</port><socketType>" sock "</socketType><username>%EMAILADDRESS%</username>" \
    auth "</" dir "Server>"
#define PW "<authentication>password-cleartext</authentication>"
#define OAUTH "<authentication>OAuth2</authentication>"
#define DOC(url, text) "<documentation url=\"" url "\"><descr lang=\"en\">" text \
    "</descr></documentation>"

typedef struct {
    const char *oauth;      /* the OAuth preset, or NULL */
    const char *xml;
} Builtin;

static const Builtin builtin[] = {
    { "google",
    "<clientConfig version=\"1.1\"><emailProvider id=\"googlemail.com\">"
    "<domain>gmail.com</domain><domain>googlemail.com</domain>"
    "<displayName>Gmail</displayName>"
    SERVER("incoming", "pop3", "pop.gmail.com", "995", "SSL", OAUTH PW)
    SERVER("outgoing", "smtp", "smtp.gmail.com", "465", "SSL", OAUTH PW)
    DOC("https://support.google.com/accounts/answer/185833",
        "Gmail needs OAuth 2 or an app password (with 2-Step Verification); "
        "switch POP on in Gmail's settings first")
    "</emailProvider></clientConfig>" },

    /* Work and school accounts on a company's own domain: known by the
     * servers only (before Outlook.com, which shares the POP3 host). */
    { "microsoft-organizations",
    "<clientConfig version=\"1.1\"><emailProvider id=\"office365.com\">"
    "<displayName>Microsoft 365 (work or school)</displayName>"
    SERVER("incoming", "pop3", "outlook.office365.com", "995", "SSL", OAUTH)
    SERVER("outgoing", "smtp", "smtp.office365.com", "587", "STARTTLS", OAUTH)
    DOC("https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/pop3-and-imap4",
        "Microsoft 365 accepts only OAuth 2 (modern authentication); "
        "an administrator must allow POP for the mailbox")
    "</emailProvider></clientConfig>" },

    { "microsoft",
    "<clientConfig version=\"1.1\"><emailProvider id=\"outlook.com\">"
    "<domain>outlook.com</domain><domain>hotmail.com</domain><domain>live.com</domain>"
    "<domain>msn.com</domain><domain>outlook.de</domain><domain>hotmail.de</domain>"
    "<displayName>Outlook.com / Microsoft 365</displayName>"
    SERVER("incoming", "pop3", "outlook.office365.com", "995", "SSL", OAUTH)
    SERVER("outgoing", "smtp", "smtp-mail.outlook.com", "587", "STARTTLS", OAUTH)
    DOC("https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040",
        "Outlook.com and Microsoft 365 accept only OAuth 2 (modern authentication); "
        "switch POP on in Outlook's settings first")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"yahoo.com\">"
    "<domain>yahoo.com</domain><domain>yahoo.de</domain><domain>yahoo.co.uk</domain>"
    "<domain>ymail.com</domain><displayName>Yahoo Mail</displayName>"
    SERVER("incoming", "pop3", "pop.mail.yahoo.com", "995", "SSL", PW OAUTH)
    SERVER("outgoing", "smtp", "smtp.mail.yahoo.com", "465", "SSL", PW OAUTH)
    DOC("https://help.yahoo.com/kb/SLN15241.html",
        "Yahoo Mail needs an app password made in the account security settings")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"icloud.com\">"
    "<domain>icloud.com</domain><domain>me.com</domain><domain>mac.com</domain>"
    "<displayName>iCloud Mail</displayName>"
    SERVER("incoming", "imap", "imap.mail.me.com", "993", "SSL", PW)
    SERVER("outgoing", "smtp", "smtp.mail.me.com", "587", "STARTTLS", PW)
    DOC("https://support.apple.com/102525",
        "iCloud Mail offers IMAP only, no POP3; sending needs an app-specific password")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"gmx.net\">"
    "<domain>gmx.net</domain><domain>gmx.de</domain><domain>gmx.at</domain>"
    "<domain>gmx.ch</domain><domain>gmx.com</domain><displayName>GMX</displayName>"
    SERVER("incoming", "pop3", "pop.gmx.net", "995", "SSL", PW)
    SERVER("outgoing", "smtp", "mail.gmx.net", "587", "STARTTLS", PW)
    DOC("https://support.gmx.com/pop-imap/toggle.html",
        "GMX: switch POP3 access on in the web mail settings first")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"web.de\">"
    "<domain>web.de</domain><displayName>WEB.DE</displayName>"
    SERVER("incoming", "pop3", "pop3.web.de", "995", "SSL", PW)
    SERVER("outgoing", "smtp", "smtp.web.de", "587", "STARTTLS", PW)
    DOC("https://hilfe.web.de/pop-imap/einschalten.html",
        "WEB.DE: switch POP3 access on in the web mail settings first")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"fastmail.com\">"
    "<domain>fastmail.com</domain><domain>fastmail.fm</domain>"
    "<displayName>Fastmail</displayName>"
    SERVER("incoming", "pop3", "pop.fastmail.com", "995", "SSL", PW)
    SERVER("outgoing", "smtp", "smtp.fastmail.com", "465", "SSL", PW)
    DOC("https://www.fastmail.help/hc/en-us/articles/360058752854",
        "Fastmail needs an app password for mail programs")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"mailbox.org\">"
    "<domain>mailbox.org</domain><displayName>mailbox.org</displayName>"
    SERVER("incoming", "pop3", "pop3.mailbox.org", "995", "SSL", PW)
    SERVER("outgoing", "smtp", "smtp.mailbox.org", "465", "SSL", PW)
    DOC("https://kb.mailbox.org/en/private/e-mail-article/mail-client-settings",
        "mailbox.org: your account password works")
    "</emailProvider></clientConfig>" },

    { NULL,
    "<clientConfig version=\"1.1\"><emailProvider id=\"proton.me\">"
    "<domain>proton.me</domain><domain>protonmail.com</domain><domain>pm.me</domain>"
    "<displayName>Proton Mail Bridge</displayName>"
    SERVER("incoming", "imap", "127.0.0.1", "1143", "STARTTLS", PW)
    SERVER("outgoing", "smtp", "127.0.0.1", "1025", "STARTTLS", PW)
    DOC("https://proton.me/support/protonmail-bridge-clients",
        "Proton Mail works only through Proton Mail Bridge, which offers IMAP, not POP3; "
        "use the password Bridge shows, and its certificate")
    "</emailProvider></clientConfig>" },
    { NULL, NULL },
};

const char *
autoconfig_builtin_text(guint i)
{
    return i < G_N_ELEMENTS(builtin) ? builtin[i].xml : NULL;
}

static Autoconfig *
parse_entry(const Builtin *b, const char *address)
{
    Autoconfig *ac = autoconfig_parse(b->xml, strlen(b->xml), address,
                                      _("built-in settings"), NULL);
    if (ac)
        ac->oauth_preset = g_strdup(b->oauth);
    return ac;
}

Autoconfig *
autoconfig_builtin(const char *address)
{
    const char *at = address ? strrchr(address, '@') : NULL;
    if (!at)
        return NULL;
    g_autofree char *domain = g_ascii_strdown(at + 1, -1);
    for (const Builtin *b = builtin; b->xml; b++) {
        Autoconfig *ac = parse_entry(b, address);
        if (ac && ac->domains && g_strv_contains((const char *const *)ac->domains, domain))
            return ac;
        autoconfig_free(ac);
    }
    return NULL;
}

const char *
autoconfig_builtin_oauth(const char *name)
{
    if (!name || !*name)
        return NULL;
    const char *at = strrchr(name, '@');
    g_autofree char *key = g_ascii_strdown(at ? at + 1 : name, -1);
    for (const Builtin *b = builtin; b->xml; b++) {
        if (!b->oauth)
            continue;
        g_autoptr(Autoconfig) ac = parse_entry(b, "a@example.org");
        if (ac && ((ac->domains && g_strv_contains((const char *const *)ac->domains, key)) ||
                   (!at && ac->has_pop3 && !strcmp(ac->pop3.host, key)) ||
                   (!at && ac->has_smtp && !strcmp(ac->smtp.host, key))))
            return b->oauth;
    }
    return NULL;
}
