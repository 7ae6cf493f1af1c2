/* libFuzzer target: the authorization server's replies (token and
 * device code).  Any bytes must parse or be refused without crashing;
 * what is accepted must hold only printable tokens. */
#include <config.h>

#include <string.h>

#include "oauth/oauth.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    return 0;
}

static void
printable(const char *s)
{
    for (; s && *s; s++)
        if (*s <= ' ' || *s > '~')
            __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    const char *body = (const char *)data;
    OAuthTokenReply r;
    if (oauth_parse_token_reply(size & 1 ? 400 : 200, body, size, &r, NULL)) {
        printable(r.access_token);
        printable(r.refresh_token);
        oauth_token_reply_clear(&r);
    }
    OAuthDeviceReply d;
    if (oauth_parse_device_reply(200, body, size, &d, NULL)) {
        printable(d.device_code);
        printable(d.user_code);
        printable(d.verification_uri);
        oauth_device_reply_clear(&d);
    }
    return 0;
}
