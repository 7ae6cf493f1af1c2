/* vCard 4.0 writer (RFC 6350): escaped values, CRLF, lines folded at 75
 * octets without splitting a UTF-8 character. */
#include <config.h>

#include <string.h>

#include "abook/private.h"
#include "util/util.h"

void
abook_vcard_escape(GString *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '\\': g_string_append(out, "\\\\"); break;
        case ',':  g_string_append(out, "\\,"); break;
        case ';':  g_string_append(out, "\\;"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': break;
        default:   g_string_append_c(out, *p);
        }
    }
}

/* Append LINE folded: at most 75 octets per physical line, continuation
 * lines start with one space. */
static void
put_line(GString *out, const char *line)
{
    gsize len = strlen(line), col = 0;
    const char *p = line;
    while (p < line + len) {
        const char *next = g_utf8_next_char(p);
        gsize clen = (gsize)(next - p);
        if (col + clen > 75) {
            g_string_append(out, "\r\n ");
            col = 1;
        }
        g_string_append_len(out, p, (gssize)clen);
        col += clen;
        p = next;
    }
    g_string_append(out, "\r\n");
}

static void
put_text(GString *out, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    GString *l = g_string_new(name);
    g_string_append_c(l, ':');
    abook_vcard_escape(l, value);
    put_line(out, l->str);
    g_string_free(l, TRUE);
}

static void
write_contact(GString *out, const AbookContact *c)
{
    put_line(out, "BEGIN:VCARD");
    put_line(out, "VERSION:4.0");
    if (c->uid) {
        g_autofree char *u = g_strconcat("UID:", c->uid, NULL);
        put_line(out, u);
    }
    if (c->is_group)
        put_line(out, "KIND:group");
    put_text(out, "FN", c->fn ? c->fn : "");

    const char *n[] = { c->family, c->given, c->additional, c->prefix, c->suffix };
    gboolean any = FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(n); i++)
        any |= n[i] && *n[i];
    if (any) {
        GString *l = g_string_new("N:");
        for (gsize i = 0; i < G_N_ELEMENTS(n); i++) {
            if (i)
                g_string_append_c(l, ';');
            abook_vcard_escape(l, n[i]);
        }
        put_line(out, l->str);
        g_string_free(l, TRUE);
    }
    if (c->nicknames->len) {
        GString *l = g_string_new("NICKNAME:");
        for (guint i = 0; i < c->nicknames->len; i++) {
            if (i)
                g_string_append_c(l, ',');
            abook_vcard_escape(l, c->nicknames->pdata[i]);
        }
        put_line(out, l->str);
        g_string_free(l, TRUE);
    }
    for (guint i = 0; i < c->emails->len; i++) {
        const AbookEmail *e = c->emails->pdata[i];
        GString *l = g_string_new("EMAIL");
        if (e->type && *e->type) {
            gboolean q = strpbrk(e->type, ",:;\"") != NULL;
            g_autofree char *t = g_strdelimit(g_strdup(e->type), "\"\r\n", '_');
            g_string_append_printf(l, q ? ";TYPE=\"%s\"" : ";TYPE=%s", t);
        }
        if (e->pref > 0)
            g_string_append_printf(l, ";PREF=%d", e->pref);
        g_string_append_c(l, ':');
        abook_vcard_escape(l, e->address);
        put_line(out, l->str);
        g_string_free(l, TRUE);
    }
    if (c->org && *c->org) {
        GString *l = g_string_new("ORG:");
        g_auto(GStrv) units = g_strsplit(c->org, ";", -1);
        for (int i = 0; units[i]; i++) {
            if (i)
                g_string_append_c(l, ';');
            abook_vcard_escape(l, units[i]);
        }
        put_line(out, l->str);
        g_string_free(l, TRUE);
    }
    put_text(out, "NOTE", c->note);
    for (guint i = 0; i < c->members->len; i++) {
        g_autofree char *m = g_strconcat("MEMBER:", (char *)c->members->pdata[i], NULL);
        g_strdelimit(m, "\r\n", ' ');
        put_line(out, m);
    }
    for (guint i = 0; i < c->extra->len; i++)
        put_line(out, c->extra->pdata[i]);
    put_line(out, "END:VCARD");
}

char *
abook_contact_to_vcard(const AbookContact *c)
{
    GString *out = g_string_new(NULL);
    write_contact(out, c);
    return g_string_free(out, FALSE);
}

char *
abook_export_vcard(const Abook *ab)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < ab->contacts->len; i++)
        write_contact(out, ab->contacts->pdata[i]);
    return g_string_free(out, FALSE);
}
