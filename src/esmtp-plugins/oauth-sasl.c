/* The client responses of XOAUTH2 (Google's and Microsoft's documented
 * format) and OAUTHBEARER (RFC 7628), built into a caller's buffer. */
#include "oauth-sasl.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t size, len;
    int bad;
} Out;

static void
put(Out *o, const char *s)
{
    size_t n = strlen(s);
    if (o->bad || n >= o->size - o->len) {
        o->bad = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void
put_c(Out *o, char c)
{
    char s[2] = { c, '\0' };
    put(o, s);
}

/* A field value must not hold the separator or a line break. */
static int
clean(const char *s)
{
    return s && *s && !strpbrk(s, "\001\r\n");
}

static int
finish(Out *o)
{
    if (o->bad) {
        if (o->size)
            memset(o->buf, 0, o->size);
        return -1;
    }
    return (int)o->len;
}

int
oauth_sasl_xoauth2(char *buf, size_t size, const char *user, const char *token)
{
    Out o = { buf, size, 0, size == 0 };
    if (!clean(user) || !clean(token))
        return -1;
    if (size)
        buf[0] = '\0';
    put(&o, "user=");
    put(&o, user);
    put(&o, "\001auth=Bearer ");
    put(&o, token);
    put(&o, "\001\001");
    return finish(&o);
}

int
oauth_sasl_oauthbearer(char *buf, size_t size, const char *user,
                       const char *host, const char *port, const char *token)
{
    Out o = { buf, size, 0, size == 0 };
    if (!clean(user) || !clean(host) || !clean(port) || !clean(token))
        return -1;
    if (size)
        buf[0] = '\0';
    /* gs2 header "n,a=USER," with ',' and '=' escaped (RFC 5801). */
    put(&o, "n,a=");
    for (const char *p = user; *p; p++) {
        if (*p == ',')
            put(&o, "=2C");
        else if (*p == '=')
            put(&o, "=3D");
        else
            put_c(&o, *p);
    }
    put(&o, ",\001host=");
    put(&o, host);
    put(&o, "\001port=");
    put(&o, port);
    put(&o, "\001auth=Bearer ");
    put(&o, token);
    put(&o, "\001\001");
    return finish(&o);
}

int
oauth_sasl_fits_auth_line(const char *mech, int len)
{
    size_t b64 = ((size_t)len + 2) / 3 * 4;
    /* "AUTH " MECH " " BASE64 CRLF */
    return 5 + strlen(mech) + 1 + b64 + 2 <= POSTIE_SMTP_LINE_MAX;
}
