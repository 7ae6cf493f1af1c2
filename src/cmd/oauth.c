/* postie oauth login ACCOUNT | postie oauth token ACCOUNT: get and keep
 * OAuth 2 tokens (oauth/), so that oauth_token_command can be
 * "postie oauth token ACCOUNT". */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cmd/cmd.h"
#include "oauth/oauth.h"
#include "util/util.h"

static void
usage(FILE *out)
{
    fprintf(out, "%s", _("Usage: postie oauth COMMAND ACCOUNT\n\n"
                         "  login ACCOUNT [--device|--browser]\n"
                         "                  log in at the provider and keep the login\n"
                         "  token ACCOUNT   print a valid access token (for\n"
                         "                  oauth_token_command)\n\n"
                         "See postie-oauth(1).\n"));
}

static int
exit_code(const GError *e)
{
    switch (e->code) {
    case POSTIE_ERROR_AUTH: return EX_NOPERM;
    case POSTIE_ERROR_NET: return EX_TEMPFAIL;
    case POSTIE_ERROR_TLS:
    case POSTIE_ERROR_PROTOCOL: return EX_PROTOCOL;
    case POSTIE_ERROR_CONFIG: return EX_CONFIG;
    case POSTIE_ERROR_IO:
    case POSTIE_ERROR_NOSPACE: return EX_IOERR;
    default: return EXIT_FAIL;
    }
}

static void
print_prompt(const char *message, gpointer data)
{
    (void)data;
    printf("%s\n", message);
    fflush(stdout);
}

/* The account and its settings, or an exit code in *RC. */
static OAuthSettings *
settings_for(CmdContext *ctx, const char *id, int *rc)
{
    PostieConfig *cfg = cmd_load_config(ctx);
    if (!cfg) {
        *rc = EX_CONFIG;
        return NULL;
    }
    Account *a = conf_find_account(cfg, id);
    if (!a) {
        cmd_errorf(_("no account named '%s' in the configuration"), id);
        *rc = EX_CONFIG;
        return NULL;
    }
    g_autoptr(GError) e = NULL;
    OAuthSettings *s = oauth_settings_new(a, &e);
    if (!s) {
        cmd_print_error(e);
        *rc = exit_code(e);
    }
    return s;
}

static int
oauth_login_cmd(CmdContext *ctx, int argc, char **argv)
{
    gboolean device = FALSE, browser = FALSE;
    GOptionEntry entries[] = {
        { "device", 'd', 0, G_OPTION_ARG_NONE, &device,
          N_("show a code to enter on any device (device-code flow)"), NULL },
        { "browser", 'b', 0, G_OPTION_ARG_NONE, &browser,
          N_("log in with a browser on this machine (authorization code)"), NULL },
        { NULL },
    };
    if (!cmd_parse_options(&argc, &argv, entries, _("ACCOUNT"),
                           _("Logs ACCOUNT in at its OAuth provider and keeps "
                             "the login for 'postie oauth token'.")))
        return EXIT_USAGE;
    if (argc != 2 || (device && browser)) {
        cmd_usage_error("oauth login", _("give one ACCOUNT (and at most one of "
                                         "--device, --browser)"));
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    g_autoptr(OAuthSettings) s = settings_for(ctx, argv[1], &rc);
    if (!s)
        return rc;
    if (device || browser)
        s->browser = browser;
    if (!s->browser && !s->device_url) {
        cmd_errorf(_("account %s: the device-code flow needs oauth_device_url"),
                   s->account);
        return EX_CONFIG;
    }
    if (s->browser && !s->authorize_url) {
        cmd_errorf(_("account %s: the browser flow needs oauth_authorize_url"),
                   s->account);
        return EX_CONFIG;
    }
    g_autoptr(GError) e = NULL;
    if (!oauth_login(s, print_prompt, NULL, &e)) {
        cmd_print_error(e);
        return exit_code(e);
    }
    g_autofree char *path = oauth_store_path(s->account);
    printf(_("Logged in.  Tokens are kept in %s%s.\n"), path,
           s->refresh_token_store_command
               ? _(" (the refresh token by oauth_refresh_token_store_command)") : "");
    return EXIT_OK;
}

static int
oauth_token_cmd(CmdContext *ctx, int argc, char **argv)
{
    GOptionEntry entries[] = { { NULL } };
    if (!cmd_parse_options(&argc, &argv, entries, _("ACCOUNT"),
                           _("Prints a valid OAuth access token for ACCOUNT, "
                             "refreshing it when needed.")))
        return EXIT_USAGE;
    if (argc != 2) {
        cmd_usage_error("oauth token", _("give one ACCOUNT"));
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    g_autoptr(OAuthSettings) s = settings_for(ctx, argv[1], &rc);
    if (!s)
        return rc;
    g_autoptr(GError) e = NULL;
    g_autofree char *token = oauth_access_token(s, &e);
    if (!token) {
        cmd_print_error(e);
        return exit_code(e);
    }
    printf("%s\n", token);
    memset(token, 0, strlen(token));
    return fflush(stdout) == 0 ? EXIT_OK : EX_IOERR;
}

int
cmd_oauth(CmdContext *ctx, int argc, char **argv)
{
    static const CmdSub subs[] = {
        { "login", oauth_login_cmd }, { "token", oauth_token_cmd },
    };
    return cmd_run_subcommand(ctx, "oauth", subs, G_N_ELEMENTS(subs), usage, argc, argv);
}
