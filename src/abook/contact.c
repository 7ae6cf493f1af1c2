/* AbookContact: one person or group, and the text helpers around it. */
#include <config.h>

#include <string.h>

#include "abook/private.h"
#include "util/util.h"

static void
email_free(gpointer p)
{
    AbookEmail *e = p;
    if (!e)
        return;
    g_free(e->address);
    g_free(e->type);
    g_free(e);
}

AbookContact *
abook_contact_new(void)
{
    AbookContact *c = g_new0(AbookContact, 1);
    c->nicknames = g_ptr_array_new_with_free_func(g_free);
    c->emails = g_ptr_array_new_with_free_func(email_free);
    c->members = g_ptr_array_new_with_free_func(g_free);
    c->extra = g_ptr_array_new_with_free_func(g_free);
    return c;
}

void
abook_contact_free(AbookContact *c)
{
    if (!c)
        return;
    g_free(c->uid);
    g_free(c->fn);
    g_free(c->family);
    g_free(c->given);
    g_free(c->additional);
    g_free(c->prefix);
    g_free(c->suffix);
    g_free(c->org);
    g_free(c->note);
    g_free(c->search_key);
    g_ptr_array_unref(c->nicknames);
    g_ptr_array_unref(c->emails);
    g_ptr_array_unref(c->members);
    g_ptr_array_unref(c->extra);
    g_free(c);
}

char *
abook_address_key(const char *address)
{
    g_autofree char *t = g_strstrip(g_strdup(address ? address : ""));
    return g_utf8_casefold(t, -1);
}

char *
abook_fold(const char *s)
{
    if (!s)
        return g_strdup("");
    g_autofree char *valid = g_utf8_make_valid(s, -1);
    g_autofree char *nfkd = g_utf8_normalize(valid, -1, G_NORMALIZE_ALL);
    if (!nfkd)
        return g_utf8_casefold(valid, -1);
    GString *out = g_string_sized_new(strlen(nfkd));
    for (const char *p = nfkd; *p; p = g_utf8_next_char(p)) {
        gunichar ch = g_utf8_get_char(p);
        if (g_unichar_ismark(ch))
            continue;
        g_string_append_unichar(out, ch);
    }
    char *folded = g_utf8_casefold(out->str, -1);
    g_string_free(out, TRUE);
    return folded;
}

AbookEmail *
abook_contact_add_email(AbookContact *c, const char *address, const char *type,
                        int pref)
{
    g_autofree char *key = abook_address_key(address);
    for (guint i = 0; i < c->emails->len; i++) {
        AbookEmail *e = c->emails->pdata[i];
        g_autofree char *k = abook_address_key(e->address);
        if (strcmp(k, key) == 0) {
            if (!e->type && type && *type)
                e->type = g_strdup(type);
            if (!e->pref && pref > 0)
                e->pref = pref;
            return e;
        }
    }
    AbookEmail *e = g_new0(AbookEmail, 1);
    e->address = g_strstrip(g_strdup(address));
    e->type = type && *type ? g_strdup(type) : NULL;
    e->pref = pref;
    g_ptr_array_add(c->emails, e);
    return e;
}

static gboolean
has_folded(const GPtrArray *list, const char *s)
{
    g_autofree char *k = g_utf8_casefold(s, -1);
    for (guint i = 0; i < list->len; i++) {
        g_autofree char *o = g_utf8_casefold(list->pdata[i], -1);
        if (strcmp(o, k) == 0)
            return TRUE;
    }
    return FALSE;
}

void
abook_contact_add_nickname(AbookContact *c, const char *nick)
{
    if (!nick)
        return;
    g_autofree char *t = g_strstrip(g_strdup(nick));
    if (*t && !has_folded(c->nicknames, t))
        g_ptr_array_add(c->nicknames, g_steal_pointer(&t));
}

const char *
abook_contact_primary(const AbookContact *c)
{
    const AbookEmail *best = NULL;
    for (guint i = 0; i < c->emails->len; i++) {
        const AbookEmail *e = c->emails->pdata[i];
        if (!best || (e->pref > 0 && (best->pref == 0 || e->pref < best->pref)))
            best = e;
    }
    return best ? best->address : NULL;
}

gboolean
abook_address_valid(const char *address)
{
    if (!address || !*address || strlen(address) > 320)
        return FALSE;
    const char *at = strrchr(address, '@');
    if (!at || at == address || at[1] == '\0')
        return FALSE;
    if (!g_utf8_validate(address, -1, NULL))
        return FALSE;
    for (const unsigned char *p = (const unsigned char *)address; *p; p++)
        if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
            return FALSE;
    return TRUE;
}

char *
abook_format_address(const char *name, const char *address)
{
    if (!name || !*name)
        return g_strdup(address);
    /* RFC 5322 specials (and '.') force a quoted-string. */
    gboolean quote = strpbrk(name, "()<>[]:;@\\,.\"") != NULL;
    GString *s = g_string_new(NULL);
    if (quote) {
        g_string_append_c(s, '"');
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\')
                g_string_append_c(s, '\\');
            g_string_append_c(s, *p);
        }
        g_string_append_c(s, '"');
    } else {
        g_string_append(s, name);
    }
    g_string_append_printf(s, " <%s>", address);
    return g_string_free(s, FALSE);
}

char *
abook_new_uid(void)
{
    g_autofree char *u = g_uuid_string_random();
    return g_strconcat("urn:uuid:", u, NULL);
}

void
abook_contact_fill_fn(AbookContact *c)
{
    if (c->fn && *c->fn)
        return;
    g_free(c->fn);
    c->fn = NULL;
    GString *s = g_string_new(NULL);
    const char *parts[] = { c->prefix, c->given, c->additional, c->family, c->suffix };
    for (gsize i = 0; i < G_N_ELEMENTS(parts); i++) {
        if (parts[i] && *parts[i]) {
            if (s->len)
                g_string_append_c(s, ' ');
            g_string_append(s, parts[i]);
        }
    }
    if (s->len == 0 && c->nicknames->len)
        g_string_append(s, c->nicknames->pdata[0]);
    if (s->len == 0 && c->org && *c->org)
        g_string_append(s, c->org);
    if (s->len == 0 && abook_contact_primary(c))
        g_string_append(s, abook_contact_primary(c));
    c->fn = g_string_free(s, FALSE);
}

void
abook_contact_index(AbookContact *c)
{
    GString *s = g_string_new(NULL);
    const char *fields[] = { c->fn, c->given, c->family, c->additional, c->org };
    for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
        if (fields[i])
            g_string_append_printf(s, "%s\n", fields[i]);
    for (guint i = 0; i < c->nicknames->len; i++)
        g_string_append_printf(s, "%s\n", (char *)c->nicknames->pdata[i]);
    for (guint i = 0; i < c->emails->len; i++)
        g_string_append_printf(s, "%s\n", ((AbookEmail *)c->emails->pdata[i])->address);
    g_free(c->search_key);
    c->search_key = abook_fold(s->str);
    g_string_free(s, TRUE);
}

static gboolean
set_if_empty(char **field, const char *value)
{
    if ((*field && **field) || !value || !*value)
        return FALSE;
    g_free(*field);
    *field = g_strdup(value);
    return TRUE;
}

static gboolean
add_unique(GPtrArray *list, const char *s)
{
    for (guint i = 0; i < list->len; i++)
        if (strcmp(list->pdata[i], s) == 0)
            return FALSE;
    g_ptr_array_add(list, g_strdup(s));
    return TRUE;
}

gboolean
abook_contact_absorb(AbookContact *into, const AbookContact *from)
{
    gboolean changed = FALSE;
    changed |= set_if_empty(&into->fn, from->fn);
    changed |= set_if_empty(&into->family, from->family);
    changed |= set_if_empty(&into->given, from->given);
    changed |= set_if_empty(&into->additional, from->additional);
    changed |= set_if_empty(&into->prefix, from->prefix);
    changed |= set_if_empty(&into->suffix, from->suffix);
    changed |= set_if_empty(&into->org, from->org);
    if (from->note && *from->note && !set_if_empty(&into->note, from->note) &&
        !strstr(into->note, from->note)) {
        char *n = g_strconcat(into->note, "\n", from->note, NULL);
        g_free(into->note);
        into->note = n;
        changed = TRUE;
    }
    guint before = into->nicknames->len;
    for (guint i = 0; i < from->nicknames->len; i++)
        abook_contact_add_nickname(into, from->nicknames->pdata[i]);
    changed |= into->nicknames->len != before;
    /* A person's full name that differs becomes a nickname, so nothing
     * the user typed is lost and completion still finds it. */
    if (!into->is_group && from->fn && into->fn && *from->fn &&
        g_utf8_collate(into->fn, from->fn) != 0 &&
        !has_folded(into->nicknames, from->fn)) {
        g_autofree char *a = abook_fold(into->fn), *b = abook_fold(from->fn);
        if (strcmp(a, b) != 0 && !strchr(from->fn, '@')) {
            abook_contact_add_nickname(into, from->fn);
            changed = TRUE;
        }
    }
    before = into->emails->len;
    for (guint i = 0; i < from->emails->len; i++) {
        const AbookEmail *e = from->emails->pdata[i];
        abook_contact_add_email(into, e->address, e->type, e->pref);
    }
    changed |= into->emails->len != before;
    for (guint i = 0; i < from->members->len; i++)
        changed |= add_unique(into->members, from->members->pdata[i]);
    for (guint i = 0; i < from->extra->len; i++)
        changed |= add_unique(into->extra, from->extra->pdata[i]);
    return changed;
}

GPtrArray *
abook_hash_keys(GHashTable *h)
{
    GPtrArray *keys = g_ptr_array_sized_new(g_hash_table_size(h));
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, h);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(keys, k);
    return keys;
}
