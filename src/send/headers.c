/* The header block of a message, handled as text so that everything we do
 * not touch goes out byte for byte as the user wrote it.  Messages here
 * have LF line ends (the Outbox copy); CRLF is made only for the wire. */
#include <config.h>

#include <string.h>

#include "send/private.h"

/* Length of the header block including the empty line that ends it (or
 * all of DATA when there is no body). */
gsize
send_header_block_len(const char *data, gsize len)
{
    if (len > 0 && data[0] == '\n')
        return 1;    /* no headers at all */
    for (gsize i = 0; i + 1 < len; i++)
        if (data[i] == '\n' && data[i + 1] == '\n')
            return i + 2;
    return len;
}

/* Does the header line at P (of LEN bytes up to the end of the block) start
 * the field NAME?  Field names compare without regard to case. */
static gboolean
line_is_field(const char *p, gsize len, const char *name)
{
    gsize n = strlen(name);
    if (len <= n || g_ascii_strncasecmp(p, name, n) != 0)
        return FALSE;
    /* RFC 5322 allows white space before the colon in obsolete syntax. */
    gsize i = n;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i < len && p[i] == ':';
}

/* End (exclusive) of the field starting at OFF: its first line and every
 * continuation line (starting with space or tab). */
static gsize
field_end(const char *data, gsize hlen, gsize off)
{
    gsize i = off;
    for (;;) {
        const char *nl = memchr(data + i, '\n', hlen - i);
        if (!nl)
            return hlen;
        i = (gsize)(nl - data) + 1;
        if (i >= hlen || (data[i] != ' ' && data[i] != '\t'))
            return i;
    }
}

char *
send_header_get(const char *data, gsize len, const char *name)
{
    gsize hlen = send_header_block_len(data, len);
    gsize off = 0;
    while (off < hlen) {
        gsize end = field_end(data, hlen, off);
        if (line_is_field(data + off, end - off, name)) {
            const char *colon = memchr(data + off, ':', end - off);
            GString *v = g_string_new(NULL);
            for (const char *p = colon + 1; p < data + end; p++) {
                if (*p == '\n' || *p == '\r')
                    continue;   /* unfold */
                g_string_append_c(v, *p);
            }
            return g_strstrip(g_string_free(v, FALSE));
        }
        off = end;
    }
    return NULL;
}

gboolean
send_header_has(const char *data, gsize len, const char *name)
{
    g_autofree char *v = send_header_get(data, len, name);
    return v != NULL;
}

/* Copy DATA leaving out every field for which DROP returns TRUE. */
GString *
send_header_filter(const char *data, gsize len,
                   gboolean (*drop)(const char *line, gsize len, gpointer user),
                   gpointer user)
{
    gsize hlen = send_header_block_len(data, len);
    GString *out = g_string_sized_new(len + 256);
    gsize off = 0;
    while (off < hlen) {
        gsize end = field_end(data, hlen, off);
        /* The empty line ending the block is not a field: always keep it. */
        gboolean blank = data[off] == '\n';
        if (blank || !drop(data + off, end - off, user))
            g_string_append_len(out, data + off, (gssize)(end - off));
        off = end;
    }
    g_string_append_len(out, data + hlen, (gssize)(len - hlen));
    return out;
}

typedef struct {
    const char *const *names;
    gboolean internal;
} DropSpec;

static gboolean
drop_named(const char *line, gsize len, gpointer user)
{
    const DropSpec *spec = user;
    if (spec->internal && len > 9 && g_ascii_strncasecmp(line, "X-Postie-", 9) == 0)
        return TRUE;
    for (int i = 0; spec->names && spec->names[i]; i++)
        if (line_is_field(line, len, spec->names[i]))
            return TRUE;
    return FALSE;
}

GString *
send_header_remove(const char *data, gsize len, const char *const *names,
                   gboolean internal)
{
    DropSpec spec = { names, internal };
    return send_header_filter(data, len, drop_named, &spec);
}

/* Fields postie keeps in its own copies only (Outbox state, mbox flags). */
static const char *const local_only[] = { "Status", "X-Status", NULL };

GString *
send_copy_for_sent(const char *data, gsize len)
{
    return send_header_remove(data, len, local_only, TRUE);
}

GString *
send_copy_for_wire(const char *data, gsize len)
{
    static const char *const names[] = {
        "Bcc", "Resent-Bcc", "Status", "X-Status", "Return-Path", NULL,
    };
    return send_header_remove(data, len, names, TRUE);
}

void
send_lf_normalize(GString *s)
{
    /* CRLF -> LF; a lone CR stays (it is data, rare, and harmless). */
    gsize w = 0;
    for (gsize r = 0; r < s->len; r++) {
        if (s->str[r] == '\r' && r + 1 < s->len && s->str[r + 1] == '\n')
            continue;
        s->str[w++] = s->str[r];
    }
    g_string_truncate(s, w);
}

GString *
send_to_crlf(const char *data, gsize len)
{
    GString *out = g_string_sized_new(len + len / 30 + 4);
    for (gsize i = 0; i < len; i++) {
        if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
            g_string_append_c(out, '\r');
        g_string_append_c(out, data[i]);
    }
    if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append(out, "\r\n");
    return out;
}

gboolean
send_has_8bit(const char *data, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if ((guchar)data[i] >= 0x80)
            return TRUE;
    return FALSE;
}
