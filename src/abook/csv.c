/* CSV: an RFC 4180 reader (quoted fields with commas, newlines and doubled
 * quotes), the column names of Thunderbird, Outlook and Google exports,
 * and the writer for "postie abook export --format csv". */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "abook/private.h"
#include "util/util.h"

gboolean
abook_csv_next_record(const char **pp, const char *end, char sep,
                      GPtrArray *fields, guint *line, gboolean *unterminated)
{
    const char *p = *pp;
    *unterminated = FALSE;
    g_ptr_array_set_size(fields, 0);
    if (p >= end)
        return FALSE;
    GString *f = g_string_new(NULL);
    for (;;) {
        g_string_truncate(f, 0);
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end) {
                    *unterminated = TRUE;
                    g_string_free(f, TRUE);
                    *pp = end;
                    return FALSE;
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        g_string_append_c(f, '"');
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    (*line)++;
                if (*p != '\r')
                    g_string_append_c(f, *p);
                p++;
            }
        }
        /* Unquoted text, or what follows a closing quote (kept, leniently). */
        while (p < end && *p != sep && *p != '\n' && *p != '\r')
            g_string_append_c(f, *p++);
        g_ptr_array_add(fields, g_strdup(f->str));
        if (p >= end)
            break;
        if (*p == sep) {
            p++;
            if (p >= end) {
                g_ptr_array_add(fields, g_strdup(""));
                break;
            }
            continue;
        }
        if (*p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        (*line)++;
        break;
    }
    g_string_free(f, TRUE);
    *pp = p;
    return TRUE;
}

/* The separator: the most frequent of , ; TAB outside quotes in the first
 * record (Outlook writes ';' in some locales). */
static char
detect_separator(const char *p, const char *end)
{
    guint comma = 0, semi = 0, tab = 0;
    gboolean q = FALSE;
    for (; p < end; p++) {
        if (*p == '"')
            q = !q;
        else if (!q && (*p == '\n' || *p == '\r'))
            break;
        else if (!q && *p == ',')
            comma++;
        else if (!q && *p == ';')
            semi++;
        else if (!q && *p == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* "E-mail 1 - Value" -> "email1value". */
static char *
norm_header(const char *h)
{
    GString *s = g_string_new(NULL);
    for (const char *p = h; *p; p++)
        if (g_ascii_isalnum(*p))
            g_string_append_c(s, g_ascii_tolower(*p));
    return g_string_free(s, FALSE);
}

typedef enum {
    COL_IGNORE, COL_FN, COL_GIVEN, COL_ADDITIONAL, COL_FAMILY, COL_PREFIX,
    COL_SUFFIX, COL_NICK, COL_EMAIL, COL_EMAIL_TYPE, COL_ORG, COL_DEPT,
    COL_NOTE, COL_GROUPS,
} ColKind;

typedef struct {
    ColKind kind;
    int slot;            /* which address a COL_EMAIL(_TYPE) column belongs to */
    char *title;
    gboolean had_data;   /* an ignored column with content is reported */
} Column;

static const struct { const char *name; ColKind kind; int slot; } known[] = {
    { "displayname", COL_FN, 0 }, { "name", COL_FN, 0 }, { "fullname", COL_FN, 0 },
    { "firstname", COL_GIVEN, 0 }, { "givenname", COL_GIVEN, 0 },
    { "middlename", COL_ADDITIONAL, 0 }, { "additionalname", COL_ADDITIONAL, 0 },
    { "lastname", COL_FAMILY, 0 }, { "familyname", COL_FAMILY, 0 }, { "surname", COL_FAMILY, 0 },
    { "nameprefix", COL_PREFIX, 0 }, { "prefix", COL_PREFIX, 0 },
    { "suffix", COL_SUFFIX, 0 }, { "namesuffix", COL_SUFFIX, 0 },
    { "nickname", COL_NICK, 0 }, { "nicknames", COL_NICK, 0 },
    { "primaryemail", COL_EMAIL, 1 }, { "secondaryemail", COL_EMAIL, 2 },
    { "email", COL_EMAIL, 1 }, { "emailaddress", COL_EMAIL, 1 },
    { "email2address", COL_EMAIL, 2 }, { "email3address", COL_EMAIL, 3 },
    { "emailtype", COL_EMAIL_TYPE, 1 }, { "email2type", COL_EMAIL_TYPE, 2 },
    { "email3type", COL_EMAIL_TYPE, 3 },
    { "organization", COL_ORG, 0 }, { "organisation", COL_ORG, 0 },
    { "organizationname", COL_ORG, 0 }, { "company", COL_ORG, 0 },
    { "department", COL_DEPT, 0 }, { "organizationdepartment", COL_DEPT, 0 },
    { "notes", COL_NOTE, 0 }, { "note", COL_NOTE, 0 },
    { "groups", COL_GROUPS, 0 }, { "groupmembership", COL_GROUPS, 0 },
    { "labels", COL_GROUPS, 0 }, { "categories", COL_GROUPS, 0 },
};

static void
map_column(Column *col, const char *title, const char *variant)
{
    g_autofree char *n = norm_header(title);
    col->title = g_strdup(title);
    col->kind = COL_IGNORE;
    for (gsize i = 0; i < G_N_ELEMENTS(known); i++) {
        if (strcmp(n, known[i].name) == 0) {
            col->kind = known[i].kind;
            col->slot = known[i].slot;
            return;
        }
    }
    /* Outlook's "Title" is the name prefix (Mr., Dr.). */
    if (strcmp(n, "title") == 0 && strcmp(variant, "Outlook") == 0) {
        col->kind = COL_PREFIX;
        return;
    }
    /* Google: "E-mail 3 - Value" / "E-mail 3 - Type" (or "- Label"). */
    int slot = 0;
    char tail[16];
    if (sscanf(n, "email%d%15s", &slot, tail) == 2 && slot > 0 && slot < 100) {
        if (strcmp(tail, "value") == 0) {
            col->kind = COL_EMAIL;
            col->slot = slot;
        } else if (strcmp(tail, "type") == 0 || strcmp(tail, "label") == 0) {
            col->kind = COL_EMAIL_TYPE;
            col->slot = slot;
        }
    }
}

static const char *
detect_variant(GPtrArray *header)
{
    for (guint i = 0; i < header->len; i++) {
        g_autofree char *n = norm_header(header->pdata[i]);
        if (strcmp(n, "primaryemail") == 0)
            return "Thunderbird";
        if (strcmp(n, "emailaddress") == 0 || strcmp(n, "email2address") == 0 ||
            strcmp(n, "emaildisplayname") == 0)
            return "Outlook";
        if (g_str_has_prefix(n, "email1") || strcmp(n, "groupmembership") == 0)
            return "Google";
    }
    return "generic";
}

/* Google puts several values in one cell: "a ::: b". */
static char **
split_multi(const char *cell, gboolean semicolons)
{
    g_autofree char *t = g_strdup(cell);
    if (semicolons)
        g_strdelimit(t, ";", '\x01');
    GPtrArray *out = g_ptr_array_new();
    g_auto(GStrv) parts = g_strsplit(t, ":::", -1);
    for (int i = 0; parts[i]; i++) {
        g_auto(GStrv) sub = g_strsplit(parts[i], "\x01", -1);
        for (int k = 0; sub[k]; k++) {
            g_strstrip(sub[k]);
            if (*sub[k])
                g_ptr_array_add(out, g_strdup(sub[k]));
        }
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

static void
set_field(char **field, const char *value)
{
    if (!*value || *field)
        return;
    *field = g_strdup(value);
}

typedef struct {
    const char *name;
    AbookImportReport *report;
    GPtrArray *out;
    GHashTable *groups;  /* name -> AbookContact* (owned by OUT) */
} CsvState;

static void
add_to_groups(CsvState *st, AbookContact *c, const char *cell)
{
    g_auto(GStrv) names = split_multi(cell, TRUE);
    for (int i = 0; names[i]; i++) {
        /* Google's system groups ("* myContacts", "* starred") are not lists. */
        if (names[i][0] == '*')
            continue;
        AbookContact *g = g_hash_table_lookup(st->groups, names[i]);
        if (!g) {
            g = abook_contact_new();
            g->is_group = TRUE;
            g->fn = g_strdup(names[i]);
            g->uid = abook_new_uid();
            g_hash_table_insert(st->groups, g_strdup(names[i]), g);
            g_ptr_array_add(st->out, g);
        }
        const char *primary = abook_contact_primary(c);
        if (primary) {
            g_autofree char *esc = g_uri_escape_string(primary, "@+!$&'*=", FALSE);
            g_ptr_array_add(g->members, g_strconcat("mailto:", esc, NULL));
        } else {
            if (!c->uid)
                c->uid = abook_new_uid();
            g_ptr_array_add(g->members, g_strdup(c->uid));
        }
    }
}

static void
read_row(CsvState *st, Column *cols, guint ncols, GPtrArray *fields, guint line)
{
    g_autoptr(AbookContact) c = abook_contact_new();
    GHashTable *types = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    GPtrArray *addrs = g_ptr_array_new_with_free_func(g_free);
    GArray *slots = g_array_new(FALSE, FALSE, sizeof(int));
    const char *groups = NULL, *dept = NULL;

    if (fields->len > ncols)
        abook_report(st->report, st->name, line,
                     _("%u fields where the header has %u; the extra ones are ignored"),
                     fields->len, ncols);
    for (guint i = 0; i < fields->len && i < ncols; i++) {
        char *v = g_strstrip((char *)fields->pdata[i]);
        if (!*v)
            continue;
        Column *col = &cols[i];
        switch (col->kind) {
        case COL_FN: set_field(&c->fn, v); break;
        case COL_GIVEN: set_field(&c->given, v); break;
        case COL_ADDITIONAL: set_field(&c->additional, v); break;
        case COL_FAMILY: set_field(&c->family, v); break;
        case COL_PREFIX: set_field(&c->prefix, v); break;
        case COL_SUFFIX: set_field(&c->suffix, v); break;
        case COL_ORG: set_field(&c->org, v); break;
        case COL_DEPT: dept = v; break;
        case COL_NOTE: set_field(&c->note, v); break;
        case COL_GROUPS: groups = v; break;
        case COL_NICK: {
            g_auto(GStrv) nicks = split_multi(v, FALSE);
            for (int k = 0; nicks[k]; k++)
                abook_contact_add_nickname(c, nicks[k]);
            break;
        }
        case COL_EMAIL: {
            g_auto(GStrv) list = split_multi(v, FALSE);
            for (int k = 0; list[k]; k++) {
                g_ptr_array_add(addrs, g_strdup(list[k]));
                g_array_append_val(slots, col->slot);
            }
            break;
        }
        case COL_EMAIL_TYPE:
            g_hash_table_replace(types, GINT_TO_POINTER(col->slot), g_strdup(v));
            break;
        case COL_IGNORE:
            col->had_data = TRUE;
            break;
        }
    }
    if (dept && c->org) {
        char *o = g_strconcat(c->org, ";", dept, NULL);
        g_free(c->org);
        c->org = o;
    }
    for (guint i = 0; i < addrs->len; i++) {
        const char *a = addrs->pdata[i];
        if (!abook_address_valid(a)) {
            abook_report(st->report, st->name, line,
                         _("'%s' is not a mail address, skipped"), a);
            continue;
        }
        const char *t = g_hash_table_lookup(types, GINT_TO_POINTER(g_array_index(slots, int, i)));
        int pref = 0;
        g_autofree char *type = NULL;
        if (t) {
            /* Google marks the preferred one "* Work". */
            if (*t == '*') {
                pref = 1;
                t++;
            }
            type = g_ascii_strdown(t, -1);
            g_strstrip(type);
            g_strdelimit(type, ",;:\"", ' ');
            if (!*type || strcmp(type, "other") == 0 || strcmp(type, "smtp") == 0)
                g_clear_pointer(&type, g_free);
        }
        abook_contact_add_email(c, a, type, pref);
    }
    g_hash_table_unref(types);
    g_ptr_array_unref(addrs);
    g_array_unref(slots);

    abook_contact_fill_fn(c);
    if (!c->fn || !*c->fn) {
        abook_report(st->report, st->name, line,
                     _("row without a name or a mail address, skipped"));
        return;
    }
    abook_contact_index(c);
    AbookContact *kept = g_steal_pointer(&c);
    g_ptr_array_add(st->out, kept);
    if (groups)
        add_to_groups(st, kept, groups);
}

static gboolean
row_empty(GPtrArray *fields)
{
    for (guint i = 0; i < fields->len; i++) {
        const char *f = fields->pdata[i];
        for (; *f; f++)
            if (!g_ascii_isspace(*f))
                return FALSE;
    }
    return TRUE;
}

gboolean
abook_parse_csv(const char *data, gsize len, const char *name, GPtrArray *out,
                AbookImportReport *report, GError **error)
{
    const char *p = data, *end = data + len;
    char sep = detect_separator(p, end);
    g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
    guint line = 1, start;
    gboolean unterminated = FALSE;

    /* The header row names the columns. */
    while (TRUE) {
        start = line;
        if (!abook_csv_next_record(&p, end, sep, fields, &line, &unterminated)) {
            if (unterminated) {
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                            _("%s:%u: quoted field never closed; nothing imported"),
                            name, start);
            } else {
                g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                            _("%s: empty CSV file (no header row)"), name);
            }
            return FALSE;
        }
        if (!row_empty(fields))
            break;
    }
    const char *variant = detect_variant(fields);
    guint ncols = fields->len;
    Column *cols = g_new0(Column, ncols);
    gboolean usable = FALSE;
    for (guint i = 0; i < ncols; i++) {
        map_column(&cols[i], g_strstrip((char *)fields->pdata[i]), variant);
        usable |= cols[i].kind == COL_EMAIL || cols[i].kind == COL_FN ||
                  cols[i].kind == COL_GIVEN || cols[i].kind == COL_FAMILY;
    }
    if (report)
        report->variant = variant;
    gboolean ok = TRUE;
    if (!usable) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s:%u: the header row names no name or e-mail column; "
                      "not a contacts CSV file"), name, start);
        ok = FALSE;
        goto out;
    }

    CsvState st = { name, report, out,
                    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    /* Parse everything first: an unclosed quote fails the whole import. */
    guint before = out->len;
    for (;;) {
        start = line;
        if (!abook_csv_next_record(&p, end, sep, fields, &line, &unterminated))
            break;
        if (row_empty(fields))
            continue;
        read_row(&st, cols, ncols, fields, start);
    }
    g_hash_table_unref(st.groups);
    if (unterminated) {
        g_set_error(error, POSTIE_ERROR, POSTIE_ERROR_FORMAT,
                    _("%s:%u: quoted field never closed; nothing imported"), name, start);
        while (out->len > before)
            g_ptr_array_remove_index(out, out->len - 1);
        ok = FALSE;
        goto out;
    }
    GString *ignored = g_string_new(NULL);
    for (guint i = 0; i < ncols; i++) {
        if (cols[i].kind == COL_IGNORE && cols[i].had_data)
            g_string_append_printf(ignored, "%s%s", ignored->len ? ", " : "", cols[i].title);
    }
    if (ignored->len)
        abook_report(report, name, 1, _("columns not imported: %s"), ignored->str);
    g_string_free(ignored, TRUE);
out:
    for (guint i = 0; i < ncols; i++)
        g_free(cols[i].title);
    g_free(cols);
    return ok;
}

/* ---- writing ------------------------------------------------------------ */

static void
put_field(GString *out, const char *s, gboolean first)
{
    if (!first)
        g_string_append_c(out, ',');
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        g_string_append(out, s);
        return;
    }
    g_string_append_c(out, '"');
    for (; *s; s++) {
        if (*s == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *s);
    }
    g_string_append_c(out, '"');
}

/* Names of the groups C belongs to, " ::: " separated (Google's way). */
static char *
groups_of(const Abook *ab, const AbookContact *c)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ab->contacts->len; i++) {
        const AbookContact *g = ab->contacts->pdata[i];
        if (!g->is_group)
            continue;
        gboolean member = FALSE;
        for (guint k = 0; k < g->members->len && !member; k++) {
            const char *m = g->members->pdata[k];
            if (c->uid && strcmp(m, c->uid) == 0) {
                member = TRUE;
            } else if (g_ascii_strncasecmp(m, "mailto:", 7) == 0) {
                g_autofree char *a = g_uri_unescape_string(m + 7, NULL);
                for (guint e = 0; a && e < c->emails->len && !member; e++)
                    member = g_ascii_strcasecmp(a, ((AbookEmail *)c->emails->pdata[e])->address) == 0;
            }
        }
        if (member)
            g_string_append_printf(s, "%s%s", s->len ? " ::: " : "", g->fn);
    }
    return g_string_free(s, FALSE);
}

char *
abook_export_csv(const Abook *ab)
{
    guint max_emails = 1;
    for (guint i = 0; i < ab->contacts->len; i++) {
        const AbookContact *c = ab->contacts->pdata[i];
        max_emails = MAX(max_emails, c->emails->len);
    }
    GString *out = g_string_new("Name,Given Name,Additional Name,Family Name,"
                                "Name Prefix,Name Suffix,Nickname,Organization,"
                                "Notes,Groups");
    for (guint k = 1; k <= max_emails; k++)
        g_string_append_printf(out, ",E-mail %u - Type,E-mail %u - Value", k, k);
    g_string_append(out, "\r\n");
    for (guint i = 0; i < ab->contacts->len; i++) {
        const AbookContact *c = ab->contacts->pdata[i];
        if (c->is_group)
            continue;
        g_autofree char *groups = groups_of(ab, c);
        GString *nicks = g_string_new(NULL);
        for (guint k = 0; k < c->nicknames->len; k++)
            g_string_append_printf(nicks, "%s%s", k ? " ::: " : "", (char *)c->nicknames->pdata[k]);
        put_field(out, c->fn, TRUE);
        put_field(out, c->given, FALSE);
        put_field(out, c->additional, FALSE);
        put_field(out, c->family, FALSE);
        put_field(out, c->prefix, FALSE);
        put_field(out, c->suffix, FALSE);
        put_field(out, nicks->str, FALSE);
        put_field(out, c->org, FALSE);
        put_field(out, c->note, FALSE);
        put_field(out, groups, FALSE);
        g_string_free(nicks, TRUE);
        for (guint k = 0; k < max_emails; k++) {
            const AbookEmail *e = k < c->emails->len ? c->emails->pdata[k] : NULL;
            g_autofree char *type = NULL;
            if (e && (e->type || e->pref == 1))
                type = g_strdup_printf("%s%s", e->pref == 1 ? "* " : "", e->type ? e->type : "");
            put_field(out, type, FALSE);
            put_field(out, e ? e->address : NULL, FALSE);
        }
        g_string_append(out, "\r\n");
    }
    return g_string_free(out, FALSE);
}
