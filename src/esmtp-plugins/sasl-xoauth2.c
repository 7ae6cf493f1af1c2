/* libesmtp SASL plugin: XOAUTH2 (Google, Microsoft).
 *
 * Client: "user=USER ^A auth=Bearer TOKEN ^A ^A" as the initial response.
 * A refused token comes back as a 334 challenge holding a JSON error;
 * the client answers with an empty line and the server then sends its
 * final 535 (so the error path is: initial, then empty, then done).
 * A response too long for the 512-octet AUTH line is sent after the
 * server's empty 334 instead (RFC 4954 4).
 * User and token come only from the program's interaction callback.
 */
#include <stdlib.h>
#include <string.h>

#include "auth-plugin.h"
#include "oauth-sasl.h"

struct xoauth2 {
    int state;          /* 0 initial, 2 response held back for the 334,
                           1 response sent, -1 failed or done */
    int len;
    char buf[POSTIE_SASL_MAX_RESPONSE + 1];
};

static const struct auth_client_request request[] = {
    { "user", AUTH_CLEARTEXT | AUTH_USER, "User name", 0 },
    { "xoauth2-token", AUTH_CLEARTEXT | POSTIE_AUTH_XOAUTH2_TOKEN,
      "OAuth 2 access token", 0 },
};

static int
xoauth2_init(void *pctx)
{
    struct xoauth2 *x = calloc(1, sizeof *x);
    *(void **)pctx = x;
    return x != NULL;
}

static void
xoauth2_destroy(void *ctx)
{
    struct xoauth2 *x = ctx;
    if (!x)
        return;
    memset(x->buf, 0, sizeof x->buf);
    free(x);
}

static const char *
xoauth2_response(void *ctx, const char *challenge, int *len,
                 auth_interact_t interact, void *arg)
{
    struct xoauth2 *x = ctx;
    (void)challenge;
    *len = 0;
    switch (x->state) {
    case 0: {
        char *result[2] = { NULL, NULL };
        x->state = -1;
        if (!interact(request, result, 2, arg) || !result[0] || !result[1])
            return NULL;
        int n = oauth_sasl_xoauth2(x->buf, sizeof x->buf, result[0], result[1]);
        if (n < 0)
            return NULL;
        x->len = n;
        if (!oauth_sasl_fits_auth_line("XOAUTH2", n)) {
            /* Too long for the AUTH line: no initial response; libesmtp
             * sends "AUTH XOAUTH2" and the server's empty 334 asks for it. */
            x->state = 2;
            return NULL;
        }
        x->state = 1;
        *len = n;
        return x->buf;
    }
    case 2:
        x->state = 1;
        *len = x->len;
        return x->buf;
    case 1:
        /* The challenge is the server's JSON error: acknowledge it with
         * an empty response so that the final reply follows. */
        x->state = -1;
        memset(x->buf, 0, sizeof x->buf);
        return "";
    default:
        return NULL;
    }
}

__attribute__((visibility("default")))
const struct auth_client_plugin sasl_client = {
    "XOAUTH2",
    "XOAUTH2 bearer token (postie)",
    xoauth2_init,
    xoauth2_destroy,
    xoauth2_response,
    /* The token goes in clear like a password: off unless the program
     * allows such mechanisms (auth_set_mechanism_flags). */
    AUTH_PLUGIN_PLAIN,
    0,
    NULL,
    NULL,
};
