/* Import: find the format, repair the charset, parse, merge by address.
 * Nothing in the book changes until the whole file parsed; the caller
 * writes the result with abook_save (one atomic replace). */
#include <config.h>

#include <stdarg.h>
#include <string.h>

#include "abook/private.h"
#include "mime/header.h"
#include "util/util.h"

/* Bigger than any address book a person has; protects the memory. */
#define MAX_IMPORT_SIZE (64 * 1024 * 1024)

void
abook_report(AbookImportReport *report, const char *name, guint line,
             const char *format, ...)
{
    if (!report)
        return;
    if (!report->problems)
        report->problems = g_ptr_array_new_with_free_func(g_free);
    va_list ap;
    va_start(ap, format);
    g_autofree char *why = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_ptr_array_add(report->problems, line ? g_strdup_printf("%s:%u: %s", name, line, why)
                                           : g_strdup_printf("%s: %s", name, why));
}

void
abook_import_report_clear(AbookImportReport *r)
{
    if (r->problems)
        g_ptr_array_unref(r->problems);
    g_free(r->note);
    memset(r, 0, sizeof *r);
}

char *
abook_to_utf8(const char *data, gssize len, const char *charset,
              gboolean *converted)
{
    if (converted)
        *converted = FALSE;
    /* An empty GByteArray has no data pointer at all. */
    if (!data || len == 0)
        return g_strdup("");
    if (len < 0)
        len = (gssize)strlen(data);
    if (charset && *charset && g_ascii_strcasecmp(charset, "UTF-8") != 0 &&
        g_ascii_strcasecmp(charset, "US-ASCII") != 0) {
        char *out = g_convert(data, len, "UTF-8", charset, NULL, NULL, NULL);
        if (out && g_utf8_validate(out, -1, NULL)) {
            if (converted)
                *converted = TRUE;
            return out;
        }
        g_free(out);
    }
    if (g_utf8_validate_len(data, (gsize)len, NULL) && !memchr(data, '\0', (gsize)len))
        return g_strndup(data, (gsize)len);
    if (converted)
        *converted = TRUE;
    /* windows-1252 is what such files nearly always are; ISO-8859-1 maps
     * the five bytes windows-1252 leaves undefined, so it cannot fail. */
    char *out = g_convert(data, len, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
    if (!out)
        out = g_convert(data, len, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    if (!out)
        out = g_utf8_make_valid(data, len);
    /* An embedded NUL would cut a C string short; keep what follows. */
    return out;
}

/* ---- addresses ---------------------------------------------------------- */

void
abook_parse_address_list(const char *s, GPtrArray *names, GPtrArray *addrs)
{
    g_autoptr(GPtrArray) list = mime_address_list_parse(s);
    for (guint i = 0; list && i < list->len; i++) {
        const MimeMailbox *m = list->pdata[i];
        g_ptr_array_add(names, m->name ? g_strstrip(g_strdup(m->name)) : NULL);
        g_ptr_array_add(addrs, g_strstrip(g_strdup(m->address)));
    }
}

/* ---- formats ------------------------------------------------------------ */

gboolean
abook_format_from_name(const char *name, AbookFormat *format)
{
    static const struct { const char *name; AbookFormat f; } names[] = {
        { "auto", ABOOK_FORMAT_AUTO }, { "vcard", ABOOK_FORMAT_VCARD },
        { "vcf", ABOOK_FORMAT_VCARD }, { "mutt", ABOOK_FORMAT_MUTT },
        { "alias", ABOOK_FORMAT_MUTT }, { "csv", ABOOK_FORMAT_CSV },
        { "ldif", ABOOK_FORMAT_LDIF },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
        if (g_ascii_strcasecmp(name, names[i].name) == 0) {
            *format = names[i].f;
            return TRUE;
        }
    }
    return FALSE;
}

const char *
abook_format_name(AbookFormat format)
{
    switch (format) {
    case ABOOK_FORMAT_VCARD: return "vcard";
    case ABOOK_FORMAT_MUTT: return "mutt";
    case ABOOK_FORMAT_CSV: return "csv";
    case ABOOK_FORMAT_LDIF: return "ldif";
    default: return "auto";
    }
}

static gboolean
starts_ci(const char *s, gsize len, const char *prefix)
{
    gsize n = strlen(prefix);
    return len >= n && g_ascii_strncasecmp(s, prefix, n) == 0;
}

AbookFormat
abook_format_detect(const char *data, gsize len, const char *name)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    /* UTF-16 (Outlook): only CSV files come that way in practice. */
    if (len >= 2 && ((guchar)data[0] == 0xFF || (guchar)data[0] == 0xFE) &&
        ((guchar)data[1] == 0xFE || (guchar)data[1] == 0xFF))
        return ABOOK_FORMAT_CSV;
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        gsize n = (gsize)(le - s);
        p = nl ? nl + 1 : end;
        if (n == 0 || *s == '#')
            continue;
        if (starts_ci(s, n, "BEGIN:VCARD"))
            return ABOOK_FORMAT_VCARD;
        if (starts_ci(s, n, "alias ") || starts_ci(s, n, "alias\t"))
            return ABOOK_FORMAT_MUTT;
        if (starts_ci(s, n, "dn:") || starts_ci(s, n, "version: 1") ||
            starts_ci(s, n, "version:1"))
            return ABOOK_FORMAT_LDIF;
        if (memchr(s, ',', n) || memchr(s, ';', n) || memchr(s, '\t', n))
            return ABOOK_FORMAT_CSV;
        break;
    }
    if (name) {
        if (g_str_has_suffix(name, ".vcf") || g_str_has_suffix(name, ".vcard"))
            return ABOOK_FORMAT_VCARD;
        if (g_str_has_suffix(name, ".ldif") || g_str_has_suffix(name, ".ldi"))
            return ABOOK_FORMAT_LDIF;
        if (g_str_has_suffix(name, ".csv"))
            return ABOOK_FORMAT_CSV;
    }
    return ABOOK_FORMAT_AUTO;
}

/* Line number (1-based) of byte offset OFF. */
static guint
line_of(const char *data, gsize off)
{
    guint line = 1;
    for (gsize i = 0; i < off; i++)
        if (data[i] == '\n')
            line++;
    return line;
}

/* The whole file as UTF-8 without a byte order mark, for the formats that
 * have no charset of their own (CSV, LDIF, mutt). */
static char *
whole_file_utf8(const char *data, gsize len, const char *name,
                AbookImportReport *report)
{
    const guchar *u = (const guchar *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *cs = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        char *out = g_convert(data + 2, (gssize)len - 2, "UTF-8", cs, NULL, NULL, NULL);
        if (out) {
            if (report) {
                g_free(report->note);
                report->note = g_strdup_printf(_("%s: read as %s (byte order mark)"), name, cs);
            }
            return out;
        }
    }
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    const char *bad = NULL;
    if (g_utf8_validate_len(data, len, &bad) && !memchr(data, '\0', len))
        return g_strndup(data, len);
    gboolean converted = FALSE;
    char *out = abook_to_utf8(data, (gssize)len, NULL, &converted);
    if (report) {
        g_free(report->note);
        report->note = g_strdup_printf(_("%s:%u: not valid UTF-8; the file was read as windows-1252"),
                                       name, line_of(data, bad ? (gsize)(bad - data) : 0));
    }
    return out;
}

GPtrArray *
abook_parse(const char *data, gsize len, const char *name, AbookFormat format,
            AbookImportReport *report, GError **error)
{
    if (format == ABOOK_FORMAT_AUTO)
        format = abook_format_detect(data, len, name);
    if (report)
        report->format = format;
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)abook_contact_free);
    guint problems_before = report && report->problems ? report->problems->len : 0;
    gboolean ok;
    if (format == ABOOK_FORMAT_VCARD) {
        /* vCard values carry their own CHARSET; only UTF-16 is undone here. */
        const guchar *u = (const guchar *)data;
        if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
            g_autofree char *text = whole_file_utf8(data, len, name, report);
            ok = abook_parse_vcard(text, strlen(text), name, out, report, error);
        } else {
            ok = abook_parse_vcard(data, len, name, out, report, error);
        }
    } else if (format == ABOOK_FORMAT_AUTO) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: cannot tell the format (vCard, mutt aliases, CSV or LDIF); "
                      "name it with --format"), name);
        return NULL;
    } else {
        g_autofree char *text = whole_file_utf8(data, len, name, report);
        gsize tlen = strlen(text);
        if (format == ABOOK_FORMAT_CSV)
            ok = abook_parse_csv(text, tlen, name, out, report, error);
        else if (format == ABOOK_FORMAT_LDIF)
            ok = abook_parse_ldif(text, tlen, name, out, report, error);
        else
            ok = abook_parse_mutt(text, tlen, name, out, report, error);
    }
    if (!ok)
        return NULL;
    guint problems_now = report && report->problems ? report->problems->len : 0;
    if (out->len == 0 && problems_now > problems_before) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: no contacts could be read (%s format)"), name,
                    abook_format_name(format));
        return NULL;
    }
    if (report)
        report->found += out->len;
    return g_steal_pointer(&out);
}

gboolean
abook_import_file(Abook *ab, const char *path, AbookFormat format,
                  AbookImportReport *report, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) local = NULL;
    if (!g_file_get_contents(path, &data, &len, &local)) {
        g_set_error(error, POSTIE_ERROR,
                    g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                        ? POSTIE_ERROR_NOT_FOUND : POSTIE_ERROR_IO,
                    _("cannot read %s: %s"), path, local->message);
        return FALSE;
    }
    if (len > MAX_IMPORT_SIZE) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s: too large for an address book (%" G_GSIZE_FORMAT " bytes)"),
                    path, len);
        return FALSE;
    }
    g_autoptr(GPtrArray) contacts = abook_parse(data, len, path, format, report, error);
    if (!contacts)
        return FALSE;
    abook_import_contacts(ab, contacts, report);
    return TRUE;
}

/* The contact of AB that C should merge into, or NULL to add C. */
static AbookContact *
merge_target(Abook *ab, const AbookContact *c)
{
    if (c->is_group)
        return abook_find_name(ab, c->fn, TRUE);
    for (guint i = 0; i < c->emails->len; i++) {
        AbookContact *t = abook_find_address(ab, ((AbookEmail *)c->emails->pdata[i])->address);
        if (t && !t->is_group)
            return t;
    }
    if (c->emails->len == 0)
        return abook_find_name(ab, c->fn, FALSE);
    return NULL;
}

static void
import_one(Abook *ab, AbookContact *c, GHashTable *uid_map,
           AbookImportReport *report)
{
    AbookContact *t = merge_target(ab, c);
    if (t) {
        if (c->uid && t->uid)
            g_hash_table_replace(uid_map, g_strdup(c->uid), g_strdup(t->uid));
        if (abook_contact_absorb(t, c))
            abook_changed(ab, t);
        abook_contact_free(c);
        if (report)
            report->merged++;
    } else {
        /* A UID already in the book (a second import of one file that
         * lost its addresses) must not be shared by two contacts. */
        for (guint i = 0; c->uid && i < ab->contacts->len; i++) {
            if (strcmp(((AbookContact *)ab->contacts->pdata[i])->uid, c->uid) == 0) {
                char *nu = abook_new_uid();
                g_hash_table_replace(uid_map, g_strdup(c->uid), g_strdup(nu));
                g_free(c->uid);
                c->uid = nu;
                break;
            }
        }
        abook_add(ab, c);
        if (report)
            report->added++;
    }
}

void
abook_import_contacts(Abook *ab, GPtrArray *contacts, AbookImportReport *report)
{
    g_autoptr(GHashTable) uid_map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) groups = g_ptr_array_new();
    /* People first, so groups can point at where they ended up. */
    for (guint i = 0; i < contacts->len; i++) {
        AbookContact *c = contacts->pdata[i];
        contacts->pdata[i] = NULL;
        if (c->is_group)
            g_ptr_array_add(groups, c);
        else
            import_one(ab, c, uid_map, report);
    }
    for (guint i = 0; i < groups->len; i++) {
        AbookContact *g = groups->pdata[i];
        for (guint k = 0; k < g->members->len; k++) {
            const char *to = g_hash_table_lookup(uid_map, g->members->pdata[k]);
            if (to) {
                g_free(g->members->pdata[k]);
                g->members->pdata[k] = g_strdup(to);
            }
        }
        import_one(ab, g, uid_map, report);
    }
    g_ptr_array_set_size(contacts, 0);
}
