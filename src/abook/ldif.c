/* LDIF reader (RFC 2849) for Thunderbird's address book export: records
 * separated by blank lines, folded lines, base64 values ("attr:: ..."),
 * mailing lists as groupOfNames with "member: cn=...,mail=..." lines. */
#include <config.h>

#include <string.h>

#include "abook/private.h"
#include "util/util.h"

typedef struct {
    guint line;
    char *dn;
    AbookContact *c;     /* owned until handed to OUT */
    GPtrArray *member_dns;
} Record;

static void
record_free(gpointer p)
{
    Record *r = p;
    g_free(r->dn);
    abook_contact_free(r->c);
    g_ptr_array_unref(r->member_dns);
    g_free(r);
}

/* "cn=Jane Doe,mail=jane@example.org" -> "jane@example.org" */
static char *
dn_mail(const char *dn)
{
    g_auto(GStrv) parts = g_strsplit(dn, ",", -1);
    for (int i = 0; parts[i]; i++) {
        char *s = g_strstrip(parts[i]);
        if (g_ascii_strncasecmp(s, "mail=", 5) == 0)
            return g_strdup(s + 5);
    }
    return NULL;
}

typedef struct {
    const char *name;
    AbookImportReport *report;
    GHashTable *ignored;     /* attribute names seen and not used */
} LdifState;

static void
set_once(char **field, const char *v)
{
    if (!*field && *v)
        *field = g_strdup(v);
}

static void
take_attr(LdifState *st, Record *r, const char *attr, const char *value, guint line)
{
    AbookContact *c = r->c;
    char *v = g_strstrip(g_strdup(value));
    if (g_ascii_strcasecmp(attr, "dn") == 0) {
        g_free(r->dn);
        r->dn = g_strdup(v);
    } else if (g_ascii_strcasecmp(attr, "objectclass") == 0) {
        if (g_ascii_strcasecmp(v, "groupOfNames") == 0 ||
            g_ascii_strcasecmp(v, "groupOfUniqueNames") == 0)
            c->is_group = TRUE;
    } else if (g_ascii_strcasecmp(attr, "cn") == 0 ||
               g_ascii_strcasecmp(attr, "commonName") == 0) {
        set_once(&c->fn, v);
    } else if (g_ascii_strcasecmp(attr, "givenName") == 0) {
        set_once(&c->given, v);
    } else if (g_ascii_strcasecmp(attr, "sn") == 0 || g_ascii_strcasecmp(attr, "surname") == 0) {
        set_once(&c->family, v);
    } else if (g_ascii_strcasecmp(attr, "mail") == 0 ||
               g_ascii_strcasecmp(attr, "mozillaSecondEmail") == 0 ||
               g_ascii_strcasecmp(attr, "xmozillasecondemail") == 0) {
        if (abook_address_valid(v))
            abook_contact_add_email(c, v, NULL, 0);
        else if (*v)
            abook_report(st->report, st->name, line,
                         _("'%s' is not a mail address, skipped"), v);
    } else if (g_ascii_strcasecmp(attr, "mozillaNickname") == 0 ||
               g_ascii_strcasecmp(attr, "xmozillanickname") == 0 ||
               g_ascii_strcasecmp(attr, "nickname") == 0) {
        abook_contact_add_nickname(c, v);
    } else if (g_ascii_strcasecmp(attr, "o") == 0) {
        set_once(&c->org, v);
    } else if (g_ascii_strcasecmp(attr, "description") == 0) {
        set_once(&c->note, v);
    } else if (g_ascii_strcasecmp(attr, "member") == 0 ||
               g_ascii_strcasecmp(attr, "uniqueMember") == 0) {
        g_ptr_array_add(r->member_dns, g_strdup(v));
    } else if (g_ascii_strcasecmp(attr, "changetype") == 0 ||
               g_ascii_strcasecmp(attr, "modifytimestamp") == 0) {
        /* nothing to keep */
    } else if (*v) {
        g_hash_table_add(st->ignored, g_ascii_strdown(attr, -1));
    }
    g_free(v);
}

/* One "attr: value" line (already unfolded). */
static void
parse_line(LdifState *st, Record *r, const char *line, guint lineno)
{
    const char *colon = strchr(line, ':');
    if (!colon || colon == line) {
        abook_report(st->report, st->name, lineno,
                     _("no ':' in the line (a folded line without its leading space?), skipped"));
        return;
    }
    g_autofree char *attr = g_strndup(line, (gsize)(colon - line));
    char *opt = strchr(attr, ';');           /* "cn;lang-en" */
    if (opt)
        *opt = '\0';
    g_strstrip(attr);
    const char *v = colon + 1;
    if (*v == ':') {
        v++;
        while (*v == ' ')
            v++;
        gsize n = 0;
        g_autofree guchar *raw = g_base64_decode(v, &n);
        gboolean converted = FALSE;
        g_autofree char *text = abook_to_utf8((const char *)raw, (gssize)n, NULL, &converted);
        if (converted)
            abook_report(st->report, st->name, lineno,
                         _("base64 value of '%s' is not UTF-8; read as windows-1252"), attr);
        take_attr(st, r, attr, text, lineno);
    } else if (*v == '<') {
        abook_report(st->report, st->name, lineno,
                     _("value of '%s' given by URL; not read"), attr);
    } else {
        while (*v == ' ')
            v++;
        take_attr(st, r, attr, v, lineno);
    }
}

static gint
cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static Record *
record_new(guint line)
{
    Record *r = g_new0(Record, 1);
    r->line = line;
    r->c = abook_contact_new();
    r->member_dns = g_ptr_array_new_with_free_func(g_free);
    return r;
}

gboolean
abook_parse_ldif(const char *data, gsize len, const char *name, GPtrArray *out,
                 AbookImportReport *report, GError **error)
{
    LdifState st = { name, report, g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func(record_free);
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    Record *cur = NULL;
    GString *logical = NULL;
    guint logical_line = 0;

    (void)len;
    for (guint i = 0;; i++) {
        char *l = lines[i];
        if (l) {
            gsize n = strlen(l);
            if (n && l[n - 1] == '\r')
                l[n - 1] = '\0';
            /* A folded line continues the one before it. */
            if (l[0] == ' ' && logical) {
                g_string_append(logical, l + 1);
                continue;
            }
        }
        if (logical) {
            if (logical->str[0] != '#') {
                if (!cur) {
                    cur = record_new(logical_line);
                    g_ptr_array_add(records, cur);
                }
                if (g_ascii_strncasecmp(logical->str, "version:", 8) != 0 || cur->c->fn ||
                    cur->dn)
                    parse_line(&st, cur, logical->str, logical_line);
            }
            g_string_free(logical, TRUE);
            logical = NULL;
        }
        if (!l)
            break;
        if (l[0] == ' ' && l[strspn(l, " \t")] != '\0') {
            abook_report(report, name, i + 1, _("continuation line without a line before it, skipped"));
            continue;
        }
        if (!*g_strstrip(l)) {
            cur = NULL;             /* a blank line ends the record */
            continue;
        }
        logical = g_string_new(lines[i]);
        logical_line = i + 1;
    }

    /* People and lists out; lists point at members by mail address. */
    g_autoptr(GHashTable) by_dn = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < records->len; i++) {
        Record *r = records->pdata[i];
        if (r->dn)
            g_hash_table_insert(by_dn, r->dn, r);
    }
    for (guint i = 0; i < records->len; i++) {
        Record *r = records->pdata[i];
        AbookContact *c = r->c;
        for (guint k = 0; k < r->member_dns->len; k++) {
            const char *mdn = r->member_dns->pdata[k];
            g_autofree char *mail = dn_mail(mdn);
            Record *m = g_hash_table_lookup(by_dn, mdn);
            if (!mail && m && m->c && abook_contact_primary(m->c))
                mail = g_strdup(abook_contact_primary(m->c));
            if (mail && abook_address_valid(mail)) {
                g_ptr_array_add(c->members, g_strconcat("mailto:", mail, NULL));
            } else {
                abook_report(report, name, r->line,
                             _("list member '%s' has no mail address, skipped"), mdn);
            }
        }
        abook_contact_fill_fn(c);
        if (!c->fn || !*c->fn) {
            /* The "dn: dc=..." header entries of some exports hold nobody. */
            if (c->emails->len || c->nicknames->len || c->is_group)
                abook_report(report, name, r->line,
                             _("entry without a name or a mail address, skipped"));
            else if (r->dn)
                abook_report(report, name, r->line,
                             _("entry '%s' holds no contact, skipped"), r->dn);
            continue;
        }
        abook_contact_index(c);
        g_ptr_array_add(out, c);
        r->c = NULL;
    }
    if (g_hash_table_size(st.ignored)) {
        g_autoptr(GPtrArray) keys = abook_hash_keys(st.ignored);
        g_ptr_array_sort(keys, cmp_str);
        g_ptr_array_add(keys, NULL);
        g_autofree char *list = g_strjoinv(", ", (char **)keys->pdata);
        abook_report(report, name, 0, _("attributes not imported: %s"), list);
    }
    g_hash_table_unref(st.ignored);
    (void)error;
    return TRUE;
}
