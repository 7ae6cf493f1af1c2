/* Parsers of POP3 server input (all hostile-input safe) and the digests
 * and SASL payloads built from server challenges. */
#include <config.h>

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "pop3/private.h"
#include "util/util.h"

/* ---- status lines and response codes ------------------------------------ */

static gboolean
starts_word(const char *line, const char *word)
{
    gsize n = strlen(word);
    return g_ascii_strncasecmp(line, word, n) == 0
           && (line[n] == '\0' || line[n] == ' ' || line[n] == '\t');
}

void
pop3_parse_reply(const char *line, gsize len, Pop3Reply *r)
{
    r->code[0] = '\0';
    r->text = "";
    if (strlen(line) != len) {          /* NUL inside: not a status line */
        r->kind = POP3_REPLY_BAD;
        return;
    }
    const char *rest;
    if (starts_word(line, "+OK")) {
        r->kind = POP3_REPLY_OK;
        rest = line + 3;
    } else if (starts_word(line, "-ERR")) {
        r->kind = POP3_REPLY_ERR;
        rest = line + 4;
    } else if (line[0] == '+' && (line[1] == ' ' || line[1] == '\0')) {
        r->kind = POP3_REPLY_CONTINUE;
        r->text = line[1] ? line + 2 : line + 1;
        return;
    } else {
        r->kind = POP3_REPLY_BAD;
        r->text = line;
        return;
    }
    while (*rest == ' ' || *rest == '\t')
        rest++;
    r->text = rest;
    /* resp-code = "[" resp-level *("/" resp-level) "]" (RFC 2449) */
    if (*rest == '[') {
        const char *p = rest + 1;
        gsize n = 0;
        gboolean ok = TRUE;
        while (*p && *p != ']') {
            if (!(g_ascii_isalnum(*p) || *p == '-' || *p == '/')
                || n + 1 >= sizeof r->code) {
                ok = FALSE;
                break;
            }
            r->code[n++] = g_ascii_toupper(*p);
            p++;
        }
        if (ok && *p == ']' && n > 0) {
            r->code[n] = '\0';
            p++;
            while (*p == ' ' || *p == '\t')
                p++;
            r->text = p;
        } else {
            r->code[0] = '\0';
        }
    }
}

int
pop3_error_code_for(const char *code, gboolean login)
{
    if (g_str_equal(code, "IN-USE") || g_str_equal(code, "LOGIN-DELAY")
        || g_str_equal(code, "SYS/TEMP") || g_str_has_prefix(code, "SYS/TEMP/"))
        return POSTIE_ERROR_TEMPORARY;
    if (g_str_equal(code, "AUTH") || g_str_has_prefix(code, "AUTH/"))
        return POSTIE_ERROR_AUTH;
    if (g_str_equal(code, "SYS/PERM") || g_str_has_prefix(code, "SYS/PERM/"))
        return POSTIE_ERROR_PROTOCOL;
    return login ? POSTIE_ERROR_AUTH : POSTIE_ERROR_PROTOCOL;
}

const char *
pop3_resp_code_message(const char *code)
{
    if (g_str_equal(code, "IN-USE"))
        return _("the mailbox is in use by another session (another program "
                 "may be fetching); try again later");
    if (g_str_equal(code, "LOGIN-DELAY"))
        return _("the server allows only a limited number of logins in a "
                 "period of time; try again later");
    if (g_str_equal(code, "SYS/TEMP") || g_str_has_prefix(code, "SYS/TEMP/"))
        return _("the server has a temporary problem; try again later");
    if (g_str_equal(code, "SYS/PERM") || g_str_has_prefix(code, "SYS/PERM/"))
        return _("the server has a permanent problem; contact its "
                 "administrator");
    if (g_str_equal(code, "AUTH") || g_str_has_prefix(code, "AUTH/"))
        return _("the user name or password was not accepted");
    return NULL;
}

/* ---- CAPA ------------------------------------------------------------------ */

void
pop3_parse_capa_line(const char *line, guint *caps, GPtrArray *mechs)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
    const char *kw = NULL;
    guint i = 0;
    for (; words[i]; i++)
        if (*words[i]) {
            kw = words[i];
            break;
        }
    if (!kw)
        return;
    static const struct { const char *name; guint bit; } table[] = {
        { "TOP", POP3_CAP_TOP },
        { "UIDL", POP3_CAP_UIDL },
        { "USER", POP3_CAP_USER },
        { "STLS", POP3_CAP_STLS },
        { "PIPELINING", POP3_CAP_PIPELINING },
        { "RESP-CODES", POP3_CAP_RESP_CODES },
        { "AUTH-RESP-CODE", POP3_CAP_AUTH_RESP_CODE },
        { "SASL", POP3_CAP_SASL },
        { "UTF8", POP3_CAP_UTF8 },
    };
    for (gsize t = 0; t < G_N_ELEMENTS(table); t++)
        if (g_ascii_strcasecmp(kw, table[t].name) == 0)
            *caps |= table[t].bit;
    if (g_ascii_strcasecmp(kw, "SASL") != 0 || !mechs)
        return;
    for (i++; words[i]; i++) {
        const char *m = words[i];
        gsize n = strlen(m);
        if (n == 0 || n > 20)           /* RFC 4422: 1..20 characters */
            continue;
        gboolean ok = TRUE;
        for (gsize k = 0; k < n; k++)
            if (!(g_ascii_isalnum(m[k]) || m[k] == '-' || m[k] == '_'))
                ok = FALSE;
        if (!ok || mechs->len >= 64)
            continue;
        char *up = g_ascii_strup(m, -1);
        gboolean dup = FALSE;
        for (guint k = 0; k < mechs->len; k++)
            if (g_str_equal(g_ptr_array_index(mechs, k), up))
                dup = TRUE;
        if (dup)
            g_free(up);
        else
            g_ptr_array_add(mechs, up);
    }
}

/* ---- greeting ----------------------------------------------------------- */

char *
pop3_parse_greeting_timestamp(const char *text)
{
    const char *lt = strchr(text, '<');
    if (!lt)
        return NULL;
    const char *gt = strchr(lt + 1, '>');
    if (!gt || gt == lt + 1 || gt - lt > 1000)
        return NULL;
    gboolean at = FALSE;
    for (const char *p = lt + 1; p < gt; p++) {
        if (*p <= 0x20 || *p >= 0x7f || *p == '<')
            return NULL;
        if (*p == '@')
            at = TRUE;
    }
    if (!at)                          /* syntactically a msg-id */
        return NULL;
    return g_strndup(lt, (gsize) (gt - lt + 1));
}

/* ---- numbers ------------------------------------------------------------- */

/* A decimal number of at most MAXDIGITS digits that fits MAX. */
static const char *
parse_num(const char *p, guint64 max, guint64 *out)
{
    if (!g_ascii_isdigit(*p))
        return NULL;
    guint64 v = 0;
    int digits = 0;
    while (g_ascii_isdigit(*p)) {
        if (++digits > 20)
            return NULL;
        guint d = (guint) (*p - '0');
        if (v > (max - d) / 10)
            return NULL;
        v = v * 10 + d;
        p++;
    }
    *out = v;
    return p;
}

static const char *
skip_sp(const char *p)
{
    const char *q = p;
    while (*q == ' ' || *q == '\t')
        q++;
    return q == p ? NULL : q;
}

gboolean
pop3_parse_stat(const char *text, guint *count, guint64 *octets)
{
    guint64 c, o;
    const char *p = parse_num(text, G_MAXUINT32 - 1, &c);
    if (!p || !(p = skip_sp(p)) || !(p = parse_num(p, G_MAXUINT64, &o)))
        return FALSE;
    /* RFC 1939 allows more after the two numbers. */
    if (*p && *p != ' ' && *p != '\t')
        return FALSE;
    *count = (guint) c;
    *octets = o;
    return TRUE;
}

gboolean
pop3_parse_list_line(const char *line, guint *num, guint64 *size)
{
    guint64 n, sz;
    const char *p = parse_num(line, G_MAXUINT32 - 1, &n);
    if (!p || n == 0 || !(p = skip_sp(p)) || !(p = parse_num(p, G_MAXUINT64, &sz)))
        return FALSE;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return FALSE;
    *num = (guint) n;
    *size = sz;
    return TRUE;
}

gboolean
pop3_uid_is_valid(const char *uid, gsize len)
{
    if (len < 1 || len > 70)
        return FALSE;
    for (gsize i = 0; i < len; i++)
        if ((guchar) uid[i] < 0x21 || (guchar) uid[i] > 0x7e)
            return FALSE;
    return TRUE;
}

gboolean
pop3_parse_uidl_line(const char *line, guint *num, const char **uid,
                     gboolean *uid_valid)
{
    guint64 n;
    const char *p = parse_num(line, G_MAXUINT32 - 1, &n);
    if (!p || n == 0 || !(p = skip_sp(p)))
        return FALSE;
    gsize len = strlen(p);
    /* Trailing blanks are a common server sloppiness, not part of the UID. */
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    *num = (guint) n;
    *uid = p;
    *uid_valid = len == strlen(p) && pop3_uid_is_valid(p, len);
    if (!*uid_valid && len > 0 && pop3_uid_is_valid(p, len)) {
        /* only trailing blanks: accept the trimmed UID */
        ((char *) p)[len] = '\0';
        *uid_valid = TRUE;
    }
    return len > 0;
}

/* ---- the multi-line decoder ---------------------------------------------- */

enum {
    U_LINE_START,   /* at the first byte of a line */
    U_DOT,          /* the line started with '.' */
    U_DOT_CR,       /* the line is ".\r" so far */
    U_IN_LINE,
    U_CR,           /* saw '\r' inside a line */
};

void
pop3_unstuff_init(Pop3Unstuff *u, gsize max_line)
{
    u->state = U_LINE_START;
    u->line_len = 0;
    u->max_line = max_line ? max_line : POP3_MAX_MESSAGE_LINE;
}

Pop3UnstuffResult
pop3_unstuff_feed(Pop3Unstuff *u, const char *in, gsize len, GString *out,
                  gsize *consumed)
{
    gsize i = 0;
    while (i < len) {
        char ch = in[i];
        switch (u->state) {
        case U_LINE_START:
            u->line_len = 0;
            if (ch == '.') {
                u->state = U_DOT;
                i++;
            } else {
                u->state = U_IN_LINE;
            }
            break;
        case U_DOT:
            if (ch == '\r') {
                u->state = U_DOT_CR;
                i++;
            } else if (ch == '\n') {
                *consumed = i + 1;
                return POP3_UNSTUFF_DONE;
            } else {
                u->state = U_IN_LINE;       /* drop the stuffed dot */
            }
            break;
        case U_DOT_CR:
            if (ch == '\n') {
                *consumed = i + 1;
                return POP3_UNSTUFF_DONE;
            }
            g_string_append_c(out, '\r');   /* ".\rX": a bare CR in a line */
            u->line_len++;
            u->state = U_IN_LINE;
            break;
        case U_IN_LINE: {
            /* Fast path: the rest of the line up to its CRLF in one copy
             * (memchr finds the end); a CR inside a line is kept. */
            const char *nl = memchr(in + i, '\n', len - i);
            gsize j = nl ? (gsize) (nl - in) : len;
            gsize stop = j;                 /* end of the bytes to copy */
            if (j > i && in[j - 1] == '\r')
                stop = j - 1;               /* its CR: CRLF or a CR held back */
            if (stop > i) {
                if (u->line_len + (stop - i) > u->max_line) {
                    *consumed = i;
                    return POP3_UNSTUFF_TOO_LONG;
                }
                g_string_append_len(out, in + i, (gssize) (stop - i));
                u->line_len += stop - i;
                i = stop;
                break;
            }
            if (ch == '\r') {
                u->state = U_CR;
            } else {
                g_string_append_c(out, '\n');
                u->state = U_LINE_START;
            }
            i++;
            break;
        }
        case U_CR:
            if (ch == '\n') {
                g_string_append_c(out, '\n');
                u->state = U_LINE_START;
                i++;
            } else {
                g_string_append_c(out, '\r');
                u->line_len++;
                u->state = U_IN_LINE;
                if (ch == '\r') {
                    u->state = U_CR;
                    i++;
                }
            }
            break;
        }
        if (u->line_len > u->max_line) {
            *consumed = i;
            return POP3_UNSTUFF_TOO_LONG;
        }
    }
    *consumed = len;
    return POP3_UNSTUFF_MORE;
}

/* ---- digests ---------------------------------------------------------------- */

static char *
hex(const guchar *d, gsize n)
{
    char *s = g_malloc(n * 2 + 1);
    for (gsize i = 0; i < n; i++)
        g_snprintf(s + 2 * i, 3, "%02x", d[i]);
    return s;
}

char *
pop3_apop_digest(const char *timestamp, const char *secret)
{
    guchar md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_md5(), NULL)
        || !EVP_DigestUpdate(ctx, timestamp, strlen(timestamp))
        || !EVP_DigestUpdate(ctx, secret, strlen(secret))
        || !EVP_DigestFinal_ex(ctx, md, &n)) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    EVP_MD_CTX_free(ctx);
    return hex(md, n);
}

