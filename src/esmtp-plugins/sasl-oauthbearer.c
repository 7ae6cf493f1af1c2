/* libesmtp SASL plugin: OAUTHBEARER (RFC 7628).
 *
 * Client: "n,a=USER,^Ahost=HOST^Aport=PORT^Aauth=Bearer TOKEN^A^A" as the
 * initial response.  A refused token comes back as a 334 challenge
 * holding a JSON error; the client answers with a single ^A (RFC 7628
 * 3.2.3) and the server then sends its final reply.  A response too long
 * for the 512-octet AUTH line is sent after the server's empty 334
 * instead (RFC 4954 4).  User, token, host
 * and port come only from the program's interaction callback.
 */
#include <stdlib.h>
#include <string.h>

#include "auth-plugin.h"
#include "oauth-sasl.h"

struct oauthbearer {
    int state;          /* 0 initial, 2 response held back for the 334,
                           1 response sent, -1 failed or done */
    int len;
    char buf[POSTIE_SASL_MAX_RESPONSE + 1];
};

static const struct auth_client_request request[] = {
    { "user", AUTH_CLEARTEXT | AUTH_USER, "User name", 0 },
    { "oauthbearer-token", AUTH_CLEARTEXT | POSTIE_AUTH_OAUTHBEARER_TOKEN,
      "OAuth 2 access token", 0 },
    { "host", POSTIE_AUTH_HOST, "Server host name", 0 },
    { "port", POSTIE_AUTH_PORT, "Server port", 0 },
};

static int
oauthbearer_init(void *pctx)
{
    struct oauthbearer *o = calloc(1, sizeof *o);
    *(void **)pctx = o;
    return o != NULL;
}

static void
oauthbearer_destroy(void *ctx)
{
    struct oauthbearer *o = ctx;
    if (!o)
        return;
    memset(o->buf, 0, sizeof o->buf);
    free(o);
}

static const char *
oauthbearer_response(void *ctx, const char *challenge, int *len,
                     auth_interact_t interact, void *arg)
{
    struct oauthbearer *o = ctx;
    (void)challenge;
    *len = 0;
    switch (o->state) {
    case 0: {
        char *result[4] = { NULL, NULL, NULL, NULL };
        o->state = -1;
        if (!interact(request, result, 4, arg) || !result[0] || !result[1] ||
            !result[2] || !result[3])
            return NULL;
        int n = oauth_sasl_oauthbearer(o->buf, sizeof o->buf, result[0],
                                       result[2], result[3], result[1]);
        if (n < 0)
            return NULL;
        o->len = n;
        if (!oauth_sasl_fits_auth_line("OAUTHBEARER", n)) {
            /* Too long for the AUTH line: no initial response; libesmtp
             * sends "AUTH OAUTHBEARER" and the server's empty 334 asks for it. */
            o->state = 2;
            return NULL;
        }
        o->state = 1;
        *len = n;
        return o->buf;
    }
    case 2:
        o->state = 1;
        *len = o->len;
        return o->buf;
    case 1:
        /* The challenge is the server's JSON error: RFC 7628 says answer
         * with a single %x01, then the server fails the exchange. */
        o->state = -1;
        memset(o->buf, 0, sizeof o->buf);
        *len = 1;
        return "\001";
    default:
        return NULL;
    }
}

__attribute__((visibility("default")))
const struct auth_client_plugin sasl_client = {
    "OAUTHBEARER",
    "OAUTHBEARER bearer token, RFC 7628 (postie)",
    oauthbearer_init,
    oauthbearer_destroy,
    oauthbearer_response,
    /* The token goes in clear like a password: off unless the program
     * allows such mechanisms (auth_set_mechanism_flags). */
    AUTH_PLUGIN_PLAIN,
    0,
    NULL,
    NULL,
};
