/* mutt alias files: "alias [-group NAME]... KEY ADDRESS[, ADDRESS...]".
 * One address makes a contact with KEY as its nickname; several make a
 * group named KEY (and a contact for each named member). */
#include <config.h>

#include <string.h>

#include "abook/private.h"
#include "util/util.h"

/* Next whitespace-separated word of *P, or NULL. */
static char *
next_word(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return NULL;
    const char *e = s;
    if (*s == '"') {
        e = strchr(s + 1, '"');
        if (!e)
            return NULL;
        *p = e + 1;
        return g_strndup(s + 1, (gsize)(e - s - 1));
    }
    while (*e && *e != ' ' && *e != '\t')
        e++;
    *p = e;
    return g_strndup(s, (gsize)(e - s));
}

/* Cut a trailing "# comment" that is outside quotes and angle brackets. */
static void
cut_comment(char *s)
{
    gboolean q = FALSE;
    int angle = 0;
    for (char *p = s; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
        } else if (*p == '"') {
            q = !q;
        } else if (!q && *p == '<') {
            angle++;
        } else if (!q && *p == '>' && angle > 0) {
            angle--;
        } else if (!q && !angle && *p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            return;
        }
    }
}

static AbookContact *
group_named(GHashTable *groups, GPtrArray *out, const char *name)
{
    AbookContact *g = g_hash_table_lookup(groups, name);
    if (!g) {
        g = abook_contact_new();
        g->is_group = TRUE;
        g->fn = g_strdup(name);
        g->uid = abook_new_uid();
        abook_contact_index(g);
        g_hash_table_insert(groups, g_strdup(name), g);
        g_ptr_array_add(out, g);
    }
    return g;
}

static void
add_member(AbookContact *g, const char *addr)
{
    g_autofree char *esc = g_uri_escape_string(addr, "@+!$&'*=", FALSE);
    char *m = g_strconcat("mailto:", esc, NULL);
    for (guint i = 0; i < g->members->len; i++) {
        if (g_ascii_strcasecmp(g->members->pdata[i], m) == 0) {
            g_free(m);
            return;
        }
    }
    g_ptr_array_add(g->members, m);
}

static AbookContact *
person(const char *name, const char *addr, const char *nick)
{
    AbookContact *c = abook_contact_new();
    c->fn = name && *name ? g_strdup(name) : NULL;
    if (nick)
        abook_contact_add_nickname(c, nick);
    abook_contact_add_email(c, addr, NULL, 0);
    abook_contact_fill_fn(c);
    abook_contact_index(c);
    return c;
}

static void
parse_alias(const char *line, guint lineno, const char *fname, GPtrArray *out,
            GHashTable *groups, AbookImportReport *report)
{
    const char *p = line + 5;            /* after "alias" */
    g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *key = NULL;
    for (;;) {
        key = next_word(&p);
        if (!key || strcmp(key, "-group") != 0)
            break;
        g_clear_pointer(&key, g_free);
        char *tag = next_word(&p);
        if (!tag)
            break;
        g_ptr_array_add(tags, tag);
    }
    if (!key) {
        abook_report(report, fname, lineno, _("alias without a name, skipped"));
        return;
    }
    g_autofree char *rest = g_strdup(p);
    cut_comment(rest);
    g_strstrip(rest);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) addrs = g_ptr_array_new_with_free_func(g_free);
    abook_parse_address_list(rest, names, addrs);
    for (guint i = 0; i < addrs->len;) {
        if (abook_address_valid(addrs->pdata[i])) {
            i++;
            continue;
        }
        abook_report(report, fname, lineno, _("alias '%s': '%s' is not a mail address, skipped"),
                     key, (char *)addrs->pdata[i]);
        g_ptr_array_remove_index(addrs, i);
        g_ptr_array_remove_index(names, i);
    }
    if (addrs->len == 0) {
        abook_report(report, fname, lineno, _("alias '%s' has no mail address, skipped"), key);
        return;
    }
    if (addrs->len == 1) {
        AbookContact *c = person(names->pdata[0], addrs->pdata[0], key);
        g_ptr_array_add(out, c);
        for (guint t = 0; t < tags->len; t++)
            add_member(group_named(groups, out, tags->pdata[t]), addrs->pdata[0]);
        return;
    }
    AbookContact *g = group_named(groups, out, key);
    for (guint i = 0; i < addrs->len; i++) {
        add_member(g, addrs->pdata[i]);
        for (guint t = 0; t < tags->len; t++)
            add_member(group_named(groups, out, tags->pdata[t]), addrs->pdata[i]);
        if (names->pdata[i])
            g_ptr_array_add(out, person(names->pdata[i], addrs->pdata[i], NULL));
    }
}

gboolean
abook_parse_mutt(const char *data, gsize len, const char *name, GPtrArray *out,
                 AbookImportReport *report, GError **error)
{
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    g_autoptr(GHashTable) groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    (void)len;
    (void)error;
    for (guint i = 0; lines[i]; i++) {
        guint lineno = i + 1;
        GString *l = g_string_new(lines[i]);
        /* A backslash at the end continues the line. */
        for (;;) {
            if (l->len && l->str[l->len - 1] == '\r')
                g_string_truncate(l, l->len - 1);
            if (!l->len || l->str[l->len - 1] != '\\' || !lines[i + 1])
                break;
            g_string_truncate(l, l->len - 1);
            g_string_append(l, lines[++i]);
        }
        g_strstrip(l->str);
        const char *s = l->str;
        if (*s && *s != '#') {
            if (g_ascii_strncasecmp(s, "alias", 5) == 0 && (s[5] == ' ' || s[5] == '\t'))
                parse_alias(s, lineno, name, out, groups, report);
            else
                abook_report(report, name, lineno, _("not an alias line, skipped"));
        }
        g_string_free(l, TRUE);
    }
    return TRUE;
}
